using Microsoft.AspNetCore.Builder;

namespace G3.Host.Tests.Hostile;

/// <summary>
/// The real service on real Kestrel (a loopback port), because the body limits under test (413 for
/// oversized bodies, 408 for trickling ones) are Kestrel's and an in-memory test server has none.
/// Keys are required (so every hostile request also proves the key check), rate limits are off (the
/// suite sends hundreds of requests), and the slow-body limit is short so a 1 byte/s body fails fast.
/// </summary>
public class KestrelServiceFixture : IAsyncLifetime, IDisposable
{
    public const string Key = "hostile-suite-key";
    private readonly ServiceFixture _files = new();
    private WebApplication? _app;

    /// <summary>
    /// The suite's settings beside the store's: keys required, rate limits off, a short slow-body limit. Shared with
    /// <see cref="QdrantDownServiceFixture"/>, which runs the suite against a service whose Qdrant is down.
    /// </summary>
    internal static readonly string[] SuiteSettings =
    [
        "--Security:RequireApiKey=true",
        $"--Security:ApiKeys:0={Key}",
        "--RateLimits:PermitsPerMinute=0",
        "--RateLimits:FailedKeyAttemptsPerMinute=100000",
        "--Requests:MinBodyBytesPerSecond=100",
        "--Requests:BodyGracePeriodSeconds=1.5",
    ];

    /// <summary>Settings after the suite's, for a fixture that runs the same suites on another configuration.</summary>
    protected virtual string[] MoreSettings => [];

    public Uri BaseAddress { get; private set; } = null!;
    public int Port => BaseAddress.Port;

    public async Task InitializeAsync()
    {
        _app = G3.Host.Hosting.ServiceHost.Build([
            "--urls", "http://127.0.0.1:0",
            $"--Model:Manifest={_files.ManifestPath}",
            "--Store:Kind=embedded",
            $"--Store:Embedded:Directory={_files.StorePath}",
            "--FirstStart:BuildEmbeddedStore=false",
            "--Cache:Mode=Off",
            "--Pipeline:RetrievedCandidates=5",
            .. SuiteSettings,
            .. MoreSettings,
        ]);
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Urls.First());
        using var client = Client();
        for (var i = 0; i < 300; i++)
        {
            using var r = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
            if (r.IsSuccessStatusCode) return;
            await Task.Delay(100);
        }
        throw new TimeoutException("the service did not become ready");
    }

    /// <summary>A client that sends the key.</summary>
    public HttpClient Client(bool withKey = true)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (withKey) client.DefaultRequestHeaders.Authorization = new("Bearer", Key);
        return client;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _files.Dispose();
        GC.SuppressFinalize(this);
    }
}
