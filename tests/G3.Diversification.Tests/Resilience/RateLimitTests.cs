using G3.Diversification.Providers;
using G3.Diversification.Resilience;
using G3.Diversification.Tests.Stubs;
using G3.Diversification.Tokens;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Tests.Resilience;

/// <summary>
/// The provider's rate limits in its pipeline. No assertion is about time: the limiter's buckets are refilled by hand
/// (<see cref="LmmRateLimiter.Replenish"/>), so each assertion is about which calls reached the provider after how many refills.
/// (System.Threading.RateLimiting takes a refill only once its period has passed, so the tests wait a period before each.)
/// </summary>
public sealed class RateLimitTests
{
    private static readonly LmmProviderOptions s_provider = new() { Kind = LmmProviderKinds.OpenAI, Model = "gpt-4o" };

    /// <summary>A provider that answers at once (after refusing its first <paramref name="refusals"/> calls with 429) and counts the calls that reached it.</summary>
    private sealed class CountingClient(int refusals = 0) : IChatClient
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _calls) <= refusals)
                throw LmmProviderException.FromStatus("p", 429, "Rate limit reached for requests", TimeSpan.Zero);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "{\"latitude\": 1, \"longitude\": 2}")));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private static IChatClient Pipeline(LmmRateLimiter limiter, CountingClient raw, LmmTelemetry telemetry, LmmResilienceOptions? resilience = null) =>
        new LmmClientBuilder(telemetry).BuildProviderPipeline("p", "gpt-4o", resilience ?? StubProviders.NoRetry(), new LmmConcurrencyLimiter(8), raw, null, limiter,
            new TokenEstimator(s_provider));

    /// <summary>Waits for a state the test caused (not for time to pass): fails if it is not reached in a long while.</summary>
    private static async Task Until(Func<bool> condition)
    {
        using var give_up = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
            await Task.Delay(5, give_up.Token);
    }

    /// <summary>Refills the buckets once their period (<paramref name="period"/>) has passed.</summary>
    private static async Task RefillAfter(LmmRateLimiter limiter, TimeSpan period)
    {
        await Task.Delay(period + TimeSpan.FromMilliseconds(50));
        limiter.Replenish();
    }

    [Theory]
    [InlineData(60, 1010)]
    [InlineData(120, 505)]
    [InlineData(7, 8657)]
    public void Requests_per_minute_become_one_call_every_minute_divided_by_the_limit_and_a_margin(int perMinute, int intervalMs)
    {
        using var limiter = new LmmRateLimiter(perMinute, null);
        Assert.Equal(intervalMs, limiter.RequestInterval!.Value.TotalMilliseconds, 0.5);
        Assert.Null(limiter.TokenRefill);
        Assert.False(limiter.LimitsTokens);
    }

    [Theory]
    [InlineData(30_000, 500, 1000)]
    [InlineData(90, 1, 667)]
    [InlineData(30, 1, 2000)]
    public void Tokens_per_minute_refill_about_every_second_at_the_exact_rate(int perMinute, int tokens, int periodMs)
    {
        using var limiter = new LmmRateLimiter(null, perMinute);
        var (refill, period) = limiter.TokenRefill!.Value;
        Assert.Equal(tokens, refill);
        Assert.Equal(periodMs, period.TotalMilliseconds, 0.5);
        Assert.Equal(perMinute, refill * (TimeSpan.FromMinutes(1) / period), 0.001);
    }

    [Fact]
    public async Task Sixty_requests_a_minute_let_one_call_through_per_refill_and_queue_the_rest_in_order()
    {
        using var telemetry = new LmmTelemetry();
        using var limiter = new LmmRateLimiter(60, null, autoReplenish: false);
        var raw = new CountingClient();
        var client = Pipeline(limiter, raw, telemetry);

        var burst = Enumerable.Range(0, 5).Select(_ => client.GetResponseAsync(TestImages.GeolocationPrompt())).ToList();
        await Until(() => limiter.QueuedRequests == 4);
        Assert.Equal(1, raw.Calls);
        for (var sent = 2; sent <= 5; sent++)
        {
            await RefillAfter(limiter, limiter.RequestInterval!.Value);
            await Until(() => raw.Calls == sent);
            Assert.Equal(5 - sent, limiter.QueuedRequests);
        }
        await Task.WhenAll(burst);
        Assert.Equal(5, raw.Calls);
    }

    [Fact]
    public async Task A_tokens_per_minute_limit_takes_each_calls_estimate_from_a_minute_sized_bucket()
    {
        var options = new LmmCallSettings { ImageDetail = "low" }.ApplyTo(new ChatOptions { MaxOutputTokens = 200 });
        var perCall = new TokenEstimator(s_provider).Estimate(TestImages.GeolocationPrompt(), options).Budgeted;
        // Room for two calls and all but a thirtieth of a third; one refill (a sixtieth of the minute's tokens) completes it.
        var perMinute = 3 * perCall - perCall / 30;
        using var telemetry = new LmmTelemetry();
        using var limiter = new LmmRateLimiter(null, perMinute, autoReplenish: false);
        Assert.True(limiter.LimitsTokens);
        var raw = new CountingClient();
        var client = Pipeline(limiter, raw, telemetry);

        var calls = Enumerable.Range(0, 3).Select(_ => client.GetResponseAsync(TestImages.GeolocationPrompt(), options)).ToList();
        await Until(() => raw.Calls == 2 && limiter.QueuedTokens == perCall);
        await RefillAfter(limiter, limiter.TokenRefill!.Value.Period);
        await Until(() => raw.Calls == 3);
        await Task.WhenAll(calls);
    }

    [Fact]
    public async Task A_retry_after_a_429_waits_for_a_permit_of_its_own()
    {
        using var telemetry = new LmmTelemetry();
        using var limiter = new LmmRateLimiter(60, null, autoReplenish: false);
        var raw = new CountingClient(refusals: 1);
        var client = Pipeline(limiter, raw, telemetry, StubProviders.Fast(retries: 2, timeout: TimeSpan.FromSeconds(30)));

        var call = client.GetResponseAsync(TestImages.GeolocationPrompt());
        await Until(() => raw.Calls == 1 && limiter.QueuedRequests == 1);
        Assert.False(call.IsCompleted);
        await RefillAfter(limiter, limiter.RequestInterval!.Value);

        var response = await call;
        Assert.Equal(2, raw.Calls);
        Assert.Contains("latitude", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_waiting_for_a_permit_honours_cancellation_and_never_reaches_the_provider()
    {
        using var telemetry = new LmmTelemetry();
        using var limiter = new LmmRateLimiter(60, null, autoReplenish: false);
        var raw = new CountingClient();
        var client = Pipeline(limiter, raw, telemetry);
        await client.GetResponseAsync(TestImages.GeolocationPrompt());

        using var cancel = new CancellationTokenSource();
        var waiting = client.GetResponseAsync(TestImages.GeolocationPrompt(), cancellationToken: cancel.Token);
        await Until(() => limiter.QueuedRequests == 1);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(1, raw.Calls);
        Assert.Equal(0, limiter.QueuedRequests);
    }

    [Fact]
    public async Task The_registry_gives_each_limited_provider_its_own_limiter_in_its_pipeline()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OpenAIChoices(ctx, "gpt-4o-stub", "Oslo"));
        // One request a minute: the second call's permit is a minute away, far longer than this test waits.
        var limited = StubProviders.OpenAI(server, StubProviders.NoRetry()) with { RequestsPerMinute = 1 };
        using var registry = StubProviders.Registry(("limited", limited), ("free", StubProviders.OpenAI(server, StubProviders.NoRetry())));
        Assert.Equal(["limited"], registry.RateLimiters.Keys);

        await registry.Get("limited").Client.GetResponseAsync(TestImages.GeolocationPrompt());
        using var cancel = new CancellationTokenSource();
        var second = registry.Get("limited").Client.GetResponseAsync(TestImages.GeolocationPrompt(), cancellationToken: cancel.Token);
        await Until(() => registry.RateLimiters["limited"].QueuedRequests == 1);
        // Another provider's calls do not wait for it.
        await registry.Get("free").Client.GetResponseAsync(TestImages.GeolocationPrompt());
        Assert.Equal(2, server.Requests.Count);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        Assert.Equal(2, server.Requests.Count);
    }
}
