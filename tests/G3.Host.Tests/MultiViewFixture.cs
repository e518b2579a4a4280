using System.Collections.Concurrent;
using System.Text.Json;
using G3.Alignment.Encoders;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Retrieval.Embedded;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;

namespace G3.Host.Tests;

/// <summary>
/// The real host on the bundled g3-mini model (its manifest's same-place threshold included) and an embedded store of
/// the bundled fixture photos, with a stub OpenAI-compatible LMM that records how many images each request carried.
/// </summary>
public sealed class MultiViewFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("g3-multiview").FullName;
    private WebApplication? _lmm;

    public static string Manifest => TestPaths.InRepo("models", "g3-mini", "manifest.json");
    public string StorePath => Path.Combine(_dir, "store");

    /// <summary>The store's vectors by id (to check what retrieval searched with).</summary>
    public Dictionary<string, float[]> StoreVectors { get; } = [];

    /// <summary>Images per LMM request, as the stub received them.</summary>
    public ConcurrentQueue<int> ImagesPerLmmRequest { get; } = new();

    public static string Photo(string name) => TestPaths.Fixture("multiview", name);

    public MultiViewFixture()
    {
        using var encoder = ImageEncoder.Open(Manifest);
        using var store = EmbeddedReferenceStore.Create(StorePath, encoder.Model.Spec.Retrieval.Dimension, encoder.Model.Manifest.Id);
        var rows = File.ReadAllLines(TestPaths.Fixture("bundled", "photos.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var images = rows.Select(r => new QueryImage(File.ReadAllBytes(TestPaths.Fixture("bundled", r[0])))).ToList();
        var embeddings = encoder.EncodeBatchAsync(images, default).GetAwaiter().GetResult();
        var records = rows.Select((r, i) => new ReferenceRecord(r[0], embeddings[i].Retrieval,
            new GeoPoint(double.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture), double.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture)))).ToList();
        store.UpsertAsync(records, default).GetAwaiter().GetResult();
        foreach (var r in records) StoreVectors[r.Id] = r.Vector.ToArray();
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _lmm = builder.Build();
        _lmm.MapPost("/v1/chat/completions", async (HttpContext ctx) =>
        {
            using var body = await JsonDocument.ParseAsync(ctx.Request.Body);
            var images = body.RootElement.GetProperty("messages").EnumerateArray()
                .Where(m => m.GetProperty("content").ValueKind == JsonValueKind.Array)
                .SelectMany(m => m.GetProperty("content").EnumerateArray())
                .Count(p => p.GetProperty("type").GetString() == "image_url");
            ImagesPerLmmRequest.Enqueue(images);
            return Results.Json(new
            {
                id = "x", @object = "chat.completion", created = 1, model = "stub",
                choices = new[] { new { index = 0, message = new { role = "assistant", content = "{\"latitude\": 55.75, \"longitude\": 37.62}" }, finish_reason = "stop" } },
            });
        });
        await _lmm.StartAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Model:Manifest", Manifest);
        builder.UseSetting("Store:Kind", "embedded");
        builder.UseSetting("Store:Embedded:Directory", StorePath);
        builder.UseSetting("FirstStart:BuildEmbeddedStore", "false");
        builder.UseSetting("Cache:Mode", "Off");
        builder.UseSetting("Pipeline:RetrievedCandidates", "5");
        builder.UseSetting("Pipeline:SamplesPerPrompt", "1");
        builder.UseSetting("Lmm:Default", "stub");
        builder.UseSetting("Lmm:Providers:stub:Kind", "openai-compatible");
        builder.UseSetting("Lmm:Providers:stub:Model", "stub");
        builder.UseSetting("Lmm:Providers:stub:Endpoint", _lmm!.Urls.First() + "/v1");
        builder.UseSetting("Lmm:Providers:stub:Resilience:Retry:MaxRetries", "0");
    }

    /// <summary>A client once /readyz says ready.</summary>
    public static Task<HttpClient> ReadyClientAsync(WebApplicationFactory<Program> factory) => factory.CreateClient().WhenReadyAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_lmm is not null) await _lmm.DisposeAsync();
        await base.DisposeAsync();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
