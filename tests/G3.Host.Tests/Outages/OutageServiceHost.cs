using System.Text.Json;
using G3.Alignment.Encoders;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Retrieval.Qdrant;
using G3.Retrieval.Tests.Qdrant.Fake;
using Microsoft.AspNetCore.Builder;

namespace G3.Host.Tests.Outages;

/// <summary>
/// The real service on Kestrel (a loopback port), with its reference store on the in-process fake Qdrant or on the
/// fixture's embedded store, and every wait short (back-off, probe interval, circuit break) so the outage tests run in
/// seconds. They never assert timings.
/// </summary>
internal sealed class OutageServiceHost : IAsyncDisposable
{
    public const string Collection = "refs";
    private readonly WebApplication _app;

    private OutageServiceHost(WebApplication app) => _app = app;

    public Uri BaseAddress => new(_app.Urls.First());

    /// <summary>The store's and the waits' settings, then <paramref name="settings"/> (e.g. the hostile suite's).</summary>
    public static Task<OutageServiceHost> StartAsync(ServiceFixture files, Uri qdrant, params string[] settings) => LaunchAsync(files, [
            "--Store:Kind=qdrant",
            $"--Store:Qdrant:Url={qdrant.ToString().TrimEnd('/')}",
            $"--Store:Qdrant:Collection={Collection}",
            "--Store:Qdrant:RetryCount=1",
            "--Store:Qdrant:RetryBaseDelay=00:00:00.01",
            "--Store:Qdrant:MaxRetryDelay=00:00:00.05",
            "--Store:Qdrant:CircuitBreaker:BreakDuration=00:00:00.5",
            .. settings,
        ]);

    /// <summary>On the fixture's embedded store (no Qdrant), with the waits' settings and <paramref name="settings"/>.</summary>
    public static Task<OutageServiceHost> StartEmbeddedAsync(ServiceFixture files, params string[] settings) => LaunchAsync(files, [
            "--Store:Kind=embedded",
            $"--Store:Embedded:Directory={files.StorePath}",
            .. settings,
        ]);

    private static async Task<OutageServiceHost> LaunchAsync(ServiceFixture files, string[] store)
    {
        var app = G3.Host.Hosting.ServiceHost.Build([
            "--urls", "http://127.0.0.1:0",
            $"--Model:Manifest={files.ManifestPath}",
            "--Dependencies:RetryBaseDelay=00:00:00.05",
            "--Dependencies:MaxRetryDelay=00:00:00.3",
            "--Dependencies:ProbeInterval=00:00:00.1",
            "--FirstStart:BuildEmbeddedStore=false",
            "--Cache:Mode=Off",
            "--Pipeline:RetrievedCandidates=5",
            .. store,
        ]);
        await app.StartAsync();
        return new OutageServiceHost(app);
    }

    /// <summary>The fixture photos, encoded with the fixture model, indexed in the fake's collection; returns how many.</summary>
    public static async Task<int> SeedAsync(ServiceFixture files, FakeQdrantServer server)
    {
        using var encoder = ImageEncoder.Open(files.ManifestPath);
        using var store = new QdrantReferenceStore(new QdrantStoreOptions
        {
            Url = server.Address.ToString().TrimEnd('/'), Collection = Collection, VectorSize = encoder.Model.Spec.Retrieval.Dimension,
        });
        var photos = ServiceFixture.Photos;
        var images = photos.Select(p => new QueryImage(File.ReadAllBytes(TestPaths.Fixture("images", p.File)))).ToList();
        var embeddings = await encoder.EncodeBatchAsync(images, default);
        await store.UpsertAsync(photos.Select((p, i) => new ReferenceRecord(p.File, embeddings[i].Retrieval, new GeoPoint(p.Lat, p.Lon))).ToList(), default);
        return photos.Length;
    }

    public HttpClient Client() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>/readyz's status code and body.</summary>
    public async Task<(int Status, JsonElement Body)> ReadyzAsync()
    {
        using var client = Client();
        using var r = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        return ((int)r.StatusCode, JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>Polls /readyz until <paramref name="condition"/> holds (60 s at most), checking every answer on the way with <paramref name="each"/>.</summary>
    public async Task<JsonElement> ReadyzUntilAsync(Func<JsonElement, bool> condition, Action<int, JsonElement>? each = null)
    {
        var last = default(JsonElement);
        for (var i = 0; i < 1200; i++)
        {
            var (status, body) = await ReadyzAsync();
            each?.Invoke(status, body);
            if (condition(body)) return body;
            last = body;
            await Task.Delay(50);
        }
        throw new TimeoutException("/readyz never reached the expected state: " + last);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
