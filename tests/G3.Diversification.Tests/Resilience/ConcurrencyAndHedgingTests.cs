using G3.Diversification.Resilience;
using G3.Diversification.Tests.Stubs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Tests.Resilience;

public sealed class ConcurrencyAndHedgingTests
{
    /// <summary>One stub speaking both protocols, so it sees the combined load of two providers.</summary>
    private static Task BothProtocols(HttpContext ctx, TimeSpan delay) =>
        StubReplies.Slow(ctx, delay, c => c.Request.Path.StartsWithSegments("/api/chat")
            ? StubReplies.OllamaMessage(c, "llava-stub", "Oslo")
            : StubReplies.OpenAIChoices(c, "gpt-4o-stub", "Oslo"));

    [Fact]
    public async Task The_global_limiter_caps_calls_in_flight_across_providers()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => BothProtocols(ctx, TimeSpan.FromMilliseconds(100)));
        using var registry = StubProviders.Registry(
            2,
            ("gpt4o", StubProviders.OpenAI(server, StubProviders.Fast())),
            ("llava", StubProviders.Ollama(server, StubProviders.Fast())));

        var calls = Enumerable.Range(0, 12).Select(i => registry.Get(i % 2 == 0 ? "gpt4o" : "llava").Client.GetResponseAsync(TestImages.GeolocationPrompt()));
        var responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.Equal("Oslo", r.Text));
        Assert.Equal(12, server.Requests.Count);
        Assert.InRange(server.MaxConcurrentRequests, 1, 2);
        Assert.Equal(0, registry.Limiter.InFlight);
    }

    [Fact]
    public async Task A_call_waiting_for_a_slot_honours_cancellation()
    {
        using var release = new CancellationTokenSource();
        await using var server = await StubLmmServer.StartAsync((ctx, _) => BothProtocols(ctx, TimeSpan.FromSeconds(10)));
        using var registry = StubProviders.Registry(1, ("gpt4o", StubProviders.OpenAI(server, StubProviders.Fast(retries: 0, timeout: TimeSpan.FromSeconds(30)))));
        var first = registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt(), cancellationToken: release.Token);
        while (server.Requests.Count == 0)
            await Task.Delay(10);

        using var waiting = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt(), cancellationToken: waiting.Token));

        Assert.Single(server.Requests); // the second call never got a slot
        await release.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal(0, registry.Limiter.InFlight);
    }

    [Fact]
    public async Task Hedging_starts_a_second_attempt_and_the_first_success_wins()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, r) => r.Number == 1
            ? StubReplies.Slow(ctx, TimeSpan.FromSeconds(10), c => StubReplies.OpenAIChoices(c, "gpt-4o-stub", "slow"))
            : StubReplies.OpenAIChoices(ctx, "gpt-4o-stub", "fast"));
        var hedging = new LmmHedgingOptions { Enabled = true, Delay = TimeSpan.FromMilliseconds(100), MaxHedgedAttempts = 1 };
        using var registry = StubProviders.Registry(("p", StubProviders.OpenAI(server, StubProviders.Fast(timeout: TimeSpan.FromSeconds(30), hedging: hedging))));

        var response = await registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt());

        Assert.Equal("fast", response.Text);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Without_hedging_a_slow_attempt_is_simply_awaited()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.Slow(ctx, TimeSpan.FromMilliseconds(300), c => StubReplies.OpenAIChoices(c, "gpt-4o-stub", "slow")));
        using var registry = StubProviders.Registry(("p", StubProviders.OpenAI(server, StubProviders.Fast())));

        var response = await registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt());

        Assert.Equal("slow", response.Text);
        Assert.Single(server.Requests);
    }
}
