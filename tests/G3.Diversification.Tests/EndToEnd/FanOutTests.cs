using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Options;
using G3.Core.Pipeline;
using G3.Core.Ports;
using G3.Diversification.Caching;
using G3.Diversification.Generation;
using G3.Diversification.Prompts;
using G3.Diversification.Tests.Stubs;

namespace G3.Diversification.Tests.EndToEnd;

/// <summary>
/// The whole LMM stage as the service runs it: G3 pipeline → generator → registry provider (decorated
/// with limiter, retries, timeout) → real OpenAI SDK → HTTP → a stub server with latency and faults.
/// </summary>
public class FanOutTests
{
    private static readonly QueryImage Image = new(TestImages.RedSquareJpeg);

    private static G3Pipeline Pipeline(ICandidateGenerator generator) =>
        new(new FixedEncoder(), new FifteenReferences(), new KeepOrderVerifier(), generator);

    private static LmmCandidateGenerator Generator(G3.Diversification.Providers.LmmProviderRegistry registry) =>
        new(registry.Kernel, registry.Default.Info, PromptTemplates.Default, ResponseCache.Disabled);

    [Fact]
    public async Task K_times_N_calls_are_all_in_flight_together_and_every_answer_is_used()
    {
        // No call is answered until all 40 have arrived: calls made one after another would never finish.
        var arrived = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StubLmmServer.StartAsync(async (ctx, _) =>
        {
            if (Interlocked.Increment(ref arrived) == 40) all.TrySetResult();
            await all.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await StubReplies.OpenAIChoices(ctx, "gpt-4o-stub", "{\"latitude\": 45.76, \"longitude\": 4.84}");
        });
        var options = StubProviders.OpenAI(server, StubProviders.Fast(retries: 0, timeout: TimeSpan.FromSeconds(30))) with { Kind = G3.Diversification.Providers.LmmProviderKinds.OpenAICompatible, SupportsN = false };
        using var registry = StubProviders.Registry(64, ("stub", options));

        var result = await Pipeline(Generator(registry)).RunAsync(Image, new G3Options(), cancellationToken: default);

        Assert.Equal(40, server.Requests.Count);
        Assert.Equal(40, server.MaxConcurrentRequests); // not one after another
        Assert.Equal(40, result.LmmCandidates.Count(c => c.IsValid));
        Assert.Equal(50, result.Ranked.Count);
        Assert.False(result.Degraded);
    }

    [Fact]
    public async Task The_global_limit_caps_calls_across_concurrent_requests()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) =>
            StubReplies.Slow(ctx, TimeSpan.FromMilliseconds(50), c => StubReplies.OpenAIChoices(c, "gpt-4o-stub", "(45.76, 4.84)")));
        var options = StubProviders.OpenAI(server, StubProviders.Fast()) with { Kind = G3.Diversification.Providers.LmmProviderKinds.OpenAICompatible, SupportsN = false };
        using var registry = StubProviders.Registry(6, ("stub", options));
        var pipeline = Pipeline(Generator(registry));

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            pipeline.RunAsync(Image, new G3Options { ReferenceCounts = [0, 5], SamplesPerPrompt = 5 }, cancellationToken: default)));

        Assert.True(server.MaxConcurrentRequests <= 6, $"peak {server.MaxConcurrentRequests}");
        Assert.All(results, r => Assert.Equal(10, r.LmmCandidates.Count(c => c.IsValid)));
    }

    [Fact]
    public async Task With_30_percent_transient_failures_every_request_still_gets_its_candidates_and_never_an_error()
    {
        // Requests 3, 6, 9, ... (a third of them) answer 503. Retries recover a call unless all its
        // attempts land on failing numbers ((1/3)^7 per call), which then counts as a provider error.
        await using var server = await StubLmmServer.StartAsync((ctx, r) => r.Number % 3 == 0
            ? StubReplies.Error(ctx, 503, "overloaded")
            : StubReplies.OpenAIChoices(ctx, "gpt-4o-stub", "{\"latitude\": 45.76, \"longitude\": 4.84}"));
        var options = StubProviders.OpenAI(server, StubProviders.Fast(retries: 6, breaker: new G3.Diversification.Resilience.LmmCircuitBreakerOptions { Enabled = false })) with { Kind = G3.Diversification.Providers.LmmProviderKinds.OpenAICompatible, SupportsN = false };
        using var registry = StubProviders.Registry(16, ("stub", options));
        var pipeline = Pipeline(Generator(registry));

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => pipeline.RunAsync(Image, new G3Options(), cancellationToken: default)));

        Assert.All(results, r =>
        {
            Assert.Equal(40, r.LmmCandidates.Count);
            Assert.All(r.LmmCandidates, c => Assert.True(c.IsValid || c.Outcome == ParseOutcome.ProviderError));
            Assert.Equal(10 + r.LmmCandidates.Count(c => c.IsValid), r.Ranked.Count);
        });
        Assert.True(results.Sum(r => r.LmmCandidates.Count(c => c.IsValid)) >= 117, "retries recovered nearly every call");
        Assert.True(server.Requests.Count > 120, "some calls were retried");
    }

    [Fact]
    public async Task A_provider_that_is_down_degrades_the_answer_instead_of_failing_it()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.Error(ctx, 503, "down"));
        var options = StubProviders.OpenAI(server, StubProviders.Fast(retries: 1)) with { Kind = G3.Diversification.Providers.LmmProviderKinds.OpenAICompatible, SupportsN = false };
        using var registry = StubProviders.Registry(16, ("stub", options));

        var result = await Pipeline(Generator(registry)).RunAsync(Image, new G3Options(), cancellationToken: default);

        Assert.True(result.Degraded);
        Assert.Equal(40, result.LmmCandidates.Count(c => c.Outcome == ParseOutcome.ProviderError));
        Assert.Equal(10, result.Ranked.Count);
        Assert.All(result.Ranked, r => Assert.Equal(CandidateSource.Retrieval, r.Candidate.Source));
    }
}
