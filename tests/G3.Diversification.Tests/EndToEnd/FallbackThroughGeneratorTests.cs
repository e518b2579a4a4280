using System.Text.Json;
using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Diversification.Caching;
using G3.Diversification.Generation;
using G3.Diversification.Prompts;
using G3.Diversification.Providers;
using G3.Diversification.Tests.Stubs;

namespace G3.Diversification.Tests.EndToEnd;

/// <summary>
/// An OpenAI primary with an Ollama fallback, through the candidate generator (which sets ChatOptions.ModelId to the
/// primary's model), the registry's Semantic Kernel and the real SDKs, against two stub servers. The two regressions
/// this guards: the fallback was asked for the primary's model, and fallback answers were cached as the primary's.
/// </summary>
public sealed class FallbackThroughGeneratorTests : IDisposable
{
    private const string PrimaryAnswer = "{\"latitude\": 48.85, \"longitude\": 2.35}";
    private const string FallbackAnswer = "{\"latitude\": 38.72, \"longitude\": -9.14}";
    private readonly string _cacheDir = Directory.CreateTempSubdirectory("g3-fallback-cache").FullName;
    private static readonly QueryImage Image = new(TestImages.RedSquareJpeg);

    private static GenerationRequest Request() => new(
        Image, new PromptVariant(1, 1), [new ReferencePhoto("a", new GeoPoint(48.8566, 2.3522), 0.9)], [], 0, 3, null, PlaceGranularity.None);

    [Fact]
    public async Task The_fallback_is_asked_for_its_own_model_and_its_answers_are_cached_under_its_own_name()
    {
        var primaryUp = false;
        await using var openai = await StubLmmServer.StartAsync((ctx, _) => Volatile.Read(ref primaryUp)
            ? StubReplies.OpenAIChoices(ctx, "gpt-4o-2024-08-06", PrimaryAnswer, PrimaryAnswer, PrimaryAnswer)
            : StubReplies.Error(ctx, 500, "primary down"));
        await using var ollama = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OllamaMessage(ctx, "llava:13b", FallbackAnswer));
        using var registry = StubProviders.Registry(
            ("gpt4o", StubProviders.OpenAI(openai, StubProviders.NoRetry(), "llava")),
            ("llava", StubProviders.Ollama(ollama, StubProviders.NoRetry())));
        var generator = new LmmCandidateGenerator(registry.Kernel, registry.Default.Info, PromptTemplates.Default, new ResponseCache(_cacheDir, CacheMode.ReadWrite));

        var degraded = await generator.GenerateAsync(Request(), default);

        // The primary was asked once (n = 3) with its model; the fallback once per sample, with ITS model.
        Assert.Equal("gpt-4o-stub", Assert.Single(openai.Requests).Body.GetProperty("model").GetString());
        Assert.Equal(3, ollama.Requests.Count);
        Assert.All(ollama.Requests, r => Assert.Equal("llava:13b", r.Body.GetProperty("model").GetString()));
        Assert.All(degraded, c => Assert.Equal(FallbackAnswer, c.RawText));

        // The fallback's answers are on disk under the provider and model that gave them.
        var entries = Directory.GetFiles(_cacheDir, "*.entry", SearchOption.AllDirectories)
            .Select(f => StoredAnswer(f).GetProperty("Key")).ToList();
        Assert.Equal(3, entries.Count);
        Assert.All(entries, k =>
        {
            Assert.Equal("llava", k.GetProperty("Provider").GetString());
            Assert.Equal("llava:13b", k.GetProperty("Model").GetString());
        });

        // Once the primary is back, the same request is the primary's again, not a replay of the fallback's answers.
        Volatile.Write(ref primaryUp, true);
        var healthy = await generator.GenerateAsync(Request(), default);

        Assert.Equal(2, openai.Requests.Count);
        Assert.Equal(3, ollama.Requests.Count);
        Assert.All(healthy, c => Assert.Equal(PrimaryAnswer, c.RawText));
    }

    /// <summary>
    /// The answer a cache file holds: the on-disk store's header and HybridCache's own header come first, then the entry's
    /// JSON envelope ({"format", "version", "value"}).
    /// </summary>
    private static JsonElement StoredAnswer(string file)
    {
        var bytes = File.ReadAllBytes(file);
        // The headers are binary (an expiry, lengths) and may hold a '{' byte: the envelope starts at its first field.
        var start = bytes.AsSpan().IndexOf("{\"format\":"u8);
        Assert.True(start >= 0, $"{file} holds no entry envelope");
        var reader = new Utf8JsonReader(bytes.AsSpan(start));
        var envelope = JsonElement.ParseValue(ref reader);
        Assert.Equal("g3.lmm-answer", envelope.GetProperty("format").GetString());
        return envelope.GetProperty("value");
    }

    public void Dispose() => Directory.Delete(_cacheDir, true);
}
