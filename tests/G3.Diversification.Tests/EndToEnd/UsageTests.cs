using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using G3.Core.Options;
using G3.Core.Pipeline;
using G3.Core.Ports;
using G3.Core.Usage;
using G3.Diversification.Caching;
using G3.Diversification.Generation;
using G3.Diversification.Prompts;
using G3.Diversification.Providers;
using G3.Diversification.Resilience;
using G3.Diversification.Tests.Stubs;
using Microsoft.AspNetCore.Http;

namespace G3.Diversification.Tests.EndToEnd;

/// <summary>
/// Token usage from each provider protocol's own report (OpenAI's and Azure's <c>usage</c>, Ollama's
/// <c>prompt_eval_count</c> / <c>eval_count</c>) through the real SDKs, the generator and the pipeline into the result.
/// </summary>
public sealed class UsageTests : IDisposable
{
    private const string Answer = "{\"latitude\": 45.76, \"longitude\": 4.84}";
    private static readonly QueryImage Image = new(TestImages.RedSquareJpeg);
    // Two prompt variants of three samples: two calls with n = 3 for OpenAI and Azure, six calls for Ollama.
    private static readonly G3Options Options = new() { ReferenceCounts = [0, 5], SamplesPerPrompt = 3 };

    private readonly string _cacheDir = Directory.CreateTempSubdirectory("g3-usage-cache").FullName;

    public void Dispose() => Directory.Delete(_cacheDir, recursive: true);

    /// <summary>What a stub reported, answer by answer: different for every request, so the sum cannot come out right by chance.</summary>
    private sealed class Reported
    {
        private readonly ConcurrentBag<StubUsage> _all = [];

        public StubUsage Next(StubRequest request, int answers)
        {
            var usage = new StubUsage(1000 + 7 * request.Number, 11 * answers + request.Number);
            _all.Add(usage);
            return usage;
        }

        public int Calls => _all.Count;
        public long Input => _all.Sum(u => (long)u.Input);
        public long Output => _all.Sum(u => (long)u.Output);
    }

    private static int Choices(StubRequest request) => request.Body.TryGetProperty("n", out var n) ? n.GetInt32() : 1;

    private static Func<HttpContext, StubRequest, Task> OpenAIStub(Reported reported, bool withUsage = true) => (ctx, r) =>
    {
        var n = Choices(r);
        return StubReplies.OpenAIChoices(ctx, "gpt-4o-2024-08-06", withUsage ? reported.Next(r, n) : null, Enumerable.Repeat(Answer, n).ToArray());
    };

    private static Func<HttpContext, StubRequest, Task> OllamaStub(Reported reported, bool withUsage = true) => (ctx, r) =>
        StubReplies.OllamaMessage(ctx, "llava:13b", Answer, withUsage ? reported.Next(r, 1) : null);

    private static G3Pipeline Pipeline(LmmProviderRegistry registry, ResponseCache cache) =>
        new(new FixedEncoder(), new FifteenReferences(), new KeepOrderVerifier(), new LmmCandidateGenerator(registry.Kernel, registry.Default.Info, PromptTemplates.Default, cache));

    public static TheoryData<string> Kinds => [LmmProviderKinds.OpenAI, LmmProviderKinds.AzureOpenAI, LmmProviderKinds.Ollama];

    private static (Func<HttpContext, StubRequest, Task> Stub, Func<StubLmmServer, LmmProviderOptions> Options) Protocol(string kind, Reported reported, bool withUsage = true) => kind switch
    {
        LmmProviderKinds.OpenAI => (OpenAIStub(reported, withUsage), s => StubProviders.OpenAI(s, StubProviders.NoRetry())),
        LmmProviderKinds.AzureOpenAI => (OpenAIStub(reported, withUsage), s => StubProviders.AzureOpenAI(s, StubProviders.NoRetry())),
        _ => (OllamaStub(reported, withUsage), s => StubProviders.Ollama(s, StubProviders.NoRetry())),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task The_result_sums_what_the_stub_reported_and_a_cached_rerun_costs_nothing(string kind)
    {
        var reported = new Reported();
        var (stub, options) = Protocol(kind, reported);
        await using var server = await StubLmmServer.StartAsync(stub);
        using var registry = StubProviders.Registry(("stub", options(server)));
        var pipeline = Pipeline(registry, new ResponseCache(_cacheDir, CacheMode.ReadWrite));

        var first = await pipeline.RunAsync(Image, Options, cancellationToken: default);

        Assert.Equal(kind == LmmProviderKinds.Ollama ? 6 : 2, reported.Calls);
        Assert.Equal(new TokenUsage(reported.Input, reported.Output), first.Usage.Total);
        Assert.Equal(reported.Input + reported.Output, first.Usage.Total.TotalTokens);
        var line = Assert.Single(first.Usage.ByModel);
        Assert.Equal(("stub", registry.Default.Info.Model, reported.Calls, 0), (line.Provider, line.Model, line.Calls, line.CachedAnswers));

        // The same photo again: every answer replayed from the cache, no call, zero tokens, counted apart.
        var requests = server.Requests.Count;
        var second = await pipeline.RunAsync(Image, Options, cancellationToken: default);

        Assert.Equal(requests, server.Requests.Count);
        Assert.Equal(6, second.LmmCandidates.Count(c => c.IsValid));
        Assert.Equal(TokenUsage.Zero, second.Usage.Total);
        var cached = Assert.Single(second.Usage.ByModel);
        Assert.Equal((0, 6), (cached.Calls, cached.CachedAnswers));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_provider_that_reports_no_usage_is_unknown_not_zero(string kind)
    {
        var (stub, options) = Protocol(kind, new Reported(), withUsage: false);
        await using var server = await StubLmmServer.StartAsync(stub);
        using var registry = StubProviders.Registry(("stub", options(server)));

        var result = await Pipeline(registry, ResponseCache.Disabled).RunAsync(Image, Options, cancellationToken: default);

        Assert.Equal(6, result.LmmCandidates.Count(c => c.IsValid));
        Assert.Null(result.Usage.Total.InputTokens);
        Assert.Null(result.Usage.Total.OutputTokens);
        Assert.Null(result.Usage.Total.TotalTokens);
        Assert.Equal(kind == LmmProviderKinds.Ollama ? 6 : 2, Assert.Single(result.Usage.ByModel).Calls);
    }

    [Fact]
    public async Task The_provider_pipeline_emits_the_GenAI_token_usage_histogram_with_the_reported_counts()
    {
        var reported = new Reported();
        await using var server = await StubLmmServer.StartAsync(OpenAIStub(reported));
        // A model name of this test's own: tests running beside it report on the same meter.
        var model = StubProviders.UniqueName("usage");
        using var registry = StubProviders.Registry(("stub", StubProviders.OpenAI(server, StubProviders.NoRetry()) with { Model = model }));
        var tokens = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == LmmClientBuilder.TelemetrySourceName && instrument.Name == "gen_ai.client.token.usage")
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) => Record(tokens, model, value, tags));
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => Record(tokens, model, value, tags));
        listener.Start();

        await Pipeline(registry, ResponseCache.Disabled).RunAsync(Image, Options, cancellationToken: default);

        Assert.Equal(reported.Input, tokens.GetValueOrDefault("input"));
        Assert.Equal(reported.Output, tokens.GetValueOrDefault("output"));
    }

    /// <summary>Sums the histogram per gen_ai.token.type, for calls that asked for <paramref name="model"/>.</summary>
    private static void Record(ConcurrentDictionary<string, long> tokens, string model, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? type = null, requested = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "gen_ai.token.type") type = tag.Value as string;
            if (tag.Key == "gen_ai.request.model") requested = tag.Value as string;
        }
        if (type is not null && requested == model)
            tokens.AddOrUpdate(type, value, (_, sum) => sum + value);
    }
}
