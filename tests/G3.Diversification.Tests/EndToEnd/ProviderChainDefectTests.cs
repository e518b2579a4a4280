using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Diversification.Caching;
using G3.Diversification.Generation;
using G3.Diversification.Prompts;
using G3.Diversification.Providers;
using G3.Diversification.Resilience;
using G3.Diversification.Tests.Stubs;

namespace G3.Diversification.Tests.EndToEnd;

/// <summary>One test per defect of the LMM stage's provider chain, each against stub servers behind the real SDKs.</summary>
public sealed class ProviderChainDefectTests : IDisposable
{
    private const string Answer = "{\"latitude\": 38.72, \"longitude\": -9.14}";
    private readonly string _cacheDir = Directory.CreateTempSubdirectory("g3-chain-cache").FullName;
    private static readonly QueryImage Red = new(TestImages.RedSquareJpeg);
    private static readonly QueryImage Other = new(TestImages.RedSquareJpeg.Append((byte)0).ToArray());

    private static GenerationRequest Request(int samples = 3, params QueryImage[] images) => new(
        images.Length > 0 ? images[0] : Red, new PromptVariant(1, 1), [new ReferencePhoto("a", new GeoPoint(48.8566, 2.3522), 0.9)], [], 0, samples, null, PlaceGranularity.None)
    { Images = images.Length > 0 ? images : [Red] };

    private static LmmCandidateGenerator Generator(LmmProviderRegistry registry, ResponseCache? cache = null) =>
        new(registry.Kernel, registry.Default.Info, PromptTemplates.Default, cache ?? ResponseCache.Disabled);

    [Fact]
    public async Task A_fallback_gets_its_own_photo_limit_output_mode_and_sampling_profile()
    {
        await using var openai = await StubLmmServer.StartAsync((ctx, _) => StubReplies.Error(ctx, 500, "down"));
        await using var ollama = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OllamaMessage(ctx, "llava:13b", Answer));
        using var registry = StubProviders.Registry(
            ("gpt4o", StubProviders.OpenAI(openai, StubProviders.NoRetry(), "llava") with { StructuredOutput = StructuredOutputModes.JsonSchema }),
            ("llava", StubProviders.Ollama(ollama, StubProviders.NoRetry())));

        var candidates = await Generator(registry).GenerateAsync(Request(3, Red, Other), default);

        // The primary got both photos, its schema and its gpt4v temperature ...
        var asked = Assert.Single(openai.Requests).Body;
        Assert.Equal(2, asked.GetProperty("messages")[0].GetProperty("content").EnumerateArray().Count(c => c.GetProperty("type").GetString() == "image_url"));
        Assert.Equal("json_schema", asked.GetProperty("response_format").GetProperty("type").GetString());
        Assert.Equal(1.2, asked.GetProperty("temperature").GetDouble(), 3);
        // ... the fallback its own: one photo, no format, the llava profile's 0.7, one sample per call.
        Assert.Equal(3, ollama.Requests.Count);
        Assert.All(ollama.Requests, r =>
        {
            Assert.Equal(1, r.Body.GetProperty("messages")[0].GetProperty("images").GetArrayLength());
            Assert.False(r.Body.TryGetProperty("format", out var format) && format.ValueKind != System.Text.Json.JsonValueKind.Null);
            Assert.Equal(0.7, r.Body.GetProperty("options").GetProperty("temperature").GetDouble(), 3);
        });
        Assert.All(candidates, c => Assert.True(c.IsValid, c.Error));
    }

    [Fact]
    public async Task A_failed_sample_costs_only_itself()
    {
        await using var ollama = await StubLmmServer.StartAsync((ctx, r) => r.Number == 2
            ? StubReplies.OllamaError(ctx, 400, "bad request for this one")
            : StubReplies.OllamaMessage(ctx, "llava:13b", Answer));
        using var registry = StubProviders.Registry(("llava", StubProviders.Ollama(ollama, StubProviders.NoRetry())));

        var candidates = await Generator(registry).GenerateAsync(Request(3), default);

        Assert.Equal(3, ollama.Requests.Count);
        Assert.Equal(2, candidates.Count(c => c.IsValid));
        Assert.Contains("bad request for this one", Assert.Single(candidates, c => !c.IsValid).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_global_limit_counts_each_http_call_of_a_fallback_fan_out()
    {
        await using var openai = await StubLmmServer.StartAsync((ctx, _) => StubReplies.Error(ctx, 500, "down"));
        await using var ollama = await StubLmmServer.StartAsync((ctx, _) =>
            StubReplies.Slow(ctx, TimeSpan.FromMilliseconds(100), c => StubReplies.OllamaMessage(c, "llava:13b", Answer)));
        using var registry = StubProviders.Registry(2,
            ("gpt4o", StubProviders.OpenAI(openai, StubProviders.NoRetry(), "llava")),
            ("llava", StubProviders.Ollama(ollama, StubProviders.NoRetry())));

        var candidates = await Generator(registry).GenerateAsync(Request(6), default);

        Assert.Equal(6, ollama.Requests.Count);
        Assert.True(ollama.MaxConcurrentRequests <= 2, $"peak {ollama.MaxConcurrentRequests} calls in flight at a limit of 2");
        Assert.All(candidates, c => Assert.True(c.IsValid, c.Error));
    }

    [Fact]
    public async Task A_huge_retry_after_is_retried_not_taken_for_a_malformed_answer()
    {
        await using var openai = await StubLmmServer.StartAsync((ctx, r) => r.Number == 1
            ? StubReplies.Error(ctx, 429, "slow down", retryAfter: "1e308")
            : StubReplies.OpenAIChoices(ctx, "gpt-4o", Answer));
        using var registry = StubProviders.Registry(("gpt4o", StubProviders.OpenAI(openai, StubProviders.Fast(retries: 1, maxRetryAfter: TimeSpan.FromMilliseconds(10)))));

        var response = await registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt());

        Assert.Equal(2, openai.Requests.Count);
        Assert.Equal(Answer, response.Text);
    }

    [Fact]
    public async Task The_structured_output_mode_is_part_of_the_cache_key()
    {
        await using var openai = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OpenAIChoices(ctx, "gpt-4o", Answer));
        var cache = new ResponseCache(_cacheDir, CacheMode.ReadWrite);
        foreach (var mode in new[] { StructuredOutputModes.Off, StructuredOutputModes.Json })
        {
            using var registry = StubProviders.Registry(("gpt4o", StubProviders.OpenAI(openai, StubProviders.NoRetry()) with { StructuredOutput = mode }));
            await Generator(registry, cache).GenerateAsync(Request(1), default);
        }
        Assert.Equal(2, openai.Requests.Count);
    }

    [Fact]
    public async Task During_a_primary_outage_the_fallbacks_cached_answers_are_replayed_without_asking_anyone()
    {
        await using var openai = await StubLmmServer.StartAsync((ctx, _) => StubReplies.Error(ctx, 503, "down"));
        await using var ollama = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OllamaMessage(ctx, "llava:13b", Answer));
        var breaker = new LmmCircuitBreakerOptions { FailureRatio = 0.5, MinimumThroughput = 2, SamplingDuration = TimeSpan.FromSeconds(30), BreakDuration = TimeSpan.FromSeconds(30) };
        using var registry = StubProviders.Registry(
            ("gpt4o", StubProviders.OpenAI(openai, StubProviders.Fast(retries: 0, breaker: breaker), "llava")),
            ("llava", StubProviders.Ollama(ollama, StubProviders.NoRetry())));
        var generator = Generator(registry, new ResponseCache(_cacheDir, CacheMode.ReadWrite));

        // Two requests fail on the primary (its circuit opens) and are answered by the fallback, which caches them.
        await generator.GenerateAsync(Request(1, Red), default);
        await generator.GenerateAsync(Request(1, Other), default);
        var (primaryCalls, fallbackCalls) = (openai.Requests.Count, ollama.Requests.Count);

        var replayed = await generator.GenerateAsync(Request(1, Red), default);

        Assert.Equal(primaryCalls, openai.Requests.Count);
        Assert.Equal(fallbackCalls, ollama.Requests.Count);
        Assert.Equal(Answer, Assert.Single(replayed).RawText);
    }

    [Fact]
    public void A_generator_whose_kernel_lacks_a_provider_of_the_chain_fails_at_construction()
    {
        var primary = new LmmProviderInfo("gpt4o", "openai", "gpt-4o", 128, "gpt4v") { Fallbacks = [new LmmProviderInfo("llava", "ollama", "llava", 1, "llava")] };
        var kernel = G3.Diversification.Orchestration.LmmKernel.Create([("gpt4o", new Generation.ScriptedChatClient(_ => Answer))]);
        var e = Assert.Throws<ArgumentException>(() => new LmmCandidateGenerator(kernel, primary, PromptTemplates.Default, ResponseCache.Disabled));
        Assert.Contains("'llava'", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_cacheDir, true);
}
