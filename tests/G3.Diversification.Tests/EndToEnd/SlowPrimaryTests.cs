using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Diversification.Caching;
using G3.Diversification.Generation;
using G3.Diversification.Prompts;
using G3.Diversification.Providers;
using G3.Diversification.Tests.Stubs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace G3.Diversification.Tests.EndToEnd;

/// <summary>
/// An OpenAI primary that fails slowly (hangs, trickles bytes, answers garbage slowly) with an Ollama fallback, through
/// the generator, the registry's kernel and the real SDKs over real sockets, every setting at its shipped default
/// (budget 60 s, hand-over after 0.25 of it, 30 s attempts, 3 retries, breaker on, 8 calls). The clock is a
/// FakeTimeProvider the test moves, so the shipped hand-over costs no real 15 s; the fallback answers at once. The
/// tests assert what the stubs saw and what the answer holds, never a timing. Each runs twice: with no cache, and with
/// the answer cache of a replica whose shared cache server is down.
/// </summary>
public sealed class SlowPrimaryTests
{
    private const string FallbackAnswer = "{\"latitude\": 38.72, \"longitude\": -9.14}";
    private static readonly QueryImage Image = new(TestImages.RedSquareJpeg);

    private static GenerationRequest Request() => new(
        Image, new PromptVariant(1, 1), [new ReferencePhoto("a", new GeoPoint(48.8566, 2.3522), 0.9)], [], 0, 3, null, PlaceGranularity.None)
    { Budget = TimeSpan.FromSeconds(60) }; // what the pipeline passes at the shipped GenerationDeadlineSeconds

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public Task A_primary_that_hangs_hands_over_to_the_fallback(bool cacheServerDown) =>
        RunAsync(cacheServerDown, async (ctx, aborted) =>
        {
            try { await Task.Delay(Timeout.Infinite, ctx.RequestAborted); }
            catch (OperationCanceledException) { aborted.TrySetResult(); }
        }, advanceClock: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public Task A_primary_that_trickles_bytes_hands_over_to_the_fallback(bool cacheServerDown) =>
        RunAsync(cacheServerDown, async (ctx, aborted) =>
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/json";
            try
            {
                await ctx.Response.WriteAsync("{\"id\": \"chatcmpl-slow\",", ctx.RequestAborted);
                while (true)
                {
                    await ctx.Response.WriteAsync(" ", ctx.RequestAborted);
                    await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                    await Task.Delay(50, ctx.RequestAborted);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException) { aborted.TrySetResult(); }
        }, advanceClock: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public Task A_primary_that_answers_garbage_slowly_hands_over_to_the_fallback(bool cacheServerDown) =>
        RunAsync(cacheServerDown, async (ctx, aborted) =>
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/json";
            for (var i = 0; i < 5; i++)
            {
                await ctx.Response.WriteAsync("<html>garbage ", ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                await Task.Delay(20, ctx.RequestAborted);
            }
            aborted.TrySetResult(); // it finished its garbage; nothing left to cancel
        }, advanceClock: false);

    private static async Task RunAsync(bool cacheServerDown, Func<HttpContext, TaskCompletionSource, Task> primary, bool advanceClock)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var primaryAsked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var primaryStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var openai = await StubLmmServer.StartAsync((ctx, _) =>
        {
            primaryAsked.TrySetResult();
            return primary(ctx, primaryStopped);
        });
        await using var ollama = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OllamaMessage(ctx, "llava:13b", FallbackAnswer));
        var options = new LmmOptions // shipped defaults everywhere but the endpoints
        {
            Default = "gpt4o",
            Providers = new Dictionary<string, LmmProviderOptions>
            {
                ["gpt4o"] = new() { Kind = LmmProviderKinds.OpenAI, Model = "gpt-4o", Endpoint = new Uri(openai.BaseUri, "v1"), ApiKey = "sk-test", Fallbacks = ["llava"] },
                ["llava"] = new() { Kind = LmmProviderKinds.Ollama, Model = "llava:13b", Endpoint = ollama.BaseUri },
            },
        };
        using var registry = LmmProviderRegistry.Create(options, timeProvider: clock);
        // The second run caches answers as a replica configured for a shared cache server does, with that server down:
        // every L2 call fails (DownCacheServer), so each lookup is a miss and each write is skipped, and the fault path
        // must answer exactly as it does with no cache.
        var down = new DegradingDistributedCache(new DownCacheServer(), "cache:6379", TimeSpan.FromMilliseconds(200));
        var cache = cacheServerDown ? new ResponseCache(HybridCaches.Create(down, new LocalCacheLimits()), CacheMode.ReadWrite) : ResponseCache.Disabled;
        var generator = new LmmCandidateGenerator(registry.Kernel, registry.Default.Info, PromptTemplates.Default, cache);

        var answer = generator.GenerateAsync(Request(), default);
        await primaryAsked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        if (advanceClock)
            clock.Advance(TimeSpan.FromSeconds(15)); // the shipped hand-over point: 0.25 × 60 s, well before the deadline
        var candidates = await answer.WaitAsync(TimeSpan.FromSeconds(30));

        // The answer holds the fallback's three candidates, one per sample.
        Assert.Equal(3, candidates.Count);
        Assert.All(candidates, c =>
        {
            Assert.True(c.IsValid, c.Error);
            Assert.Equal(FallbackAnswer, c.RawText);
        });
        // The primary was asked once (one call with n = 3); the fallback once per sample, for its own model, with one
        // sample per call; and the primary's call was cancelled or over, not left running.
        Assert.Single(openai.Requests);
        Assert.Equal(3, openai.Requests[0].Body.GetProperty("n").GetInt32());
        Assert.Equal(3, ollama.Requests.Count);
        Assert.All(ollama.Requests, r => Assert.Equal("llava:13b", r.Body.GetProperty("model").GetString()));
        await primaryStopped.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // With the server down the cache was really asked (and failed), not bypassed.
        if (cacheServerDown) Assert.True(down.Failures > 0, "the cache server was never asked");
    }

    /// <summary>A cache server that cannot be reached: every call fails as a refused connection does.</summary>
    private sealed class DownCacheServer : Microsoft.Extensions.Caching.Distributed.IDistributedCache
    {
        private static IOException Refused() => new("connection refused (test: the cache server is down)");
        public byte[]? Get(string key) => throw Refused();
        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromException<byte[]?>(Refused());
        public void Set(string key, byte[] value, Microsoft.Extensions.Caching.Distributed.DistributedCacheEntryOptions options) => throw Refused();
        public Task SetAsync(string key, byte[] value, Microsoft.Extensions.Caching.Distributed.DistributedCacheEntryOptions options, CancellationToken token = default) => Task.FromException(Refused());
        public void Refresh(string key) => throw Refused();
        public Task RefreshAsync(string key, CancellationToken token = default) => Task.FromException(Refused());
        public void Remove(string key) => throw Refused();
        public Task RemoveAsync(string key, CancellationToken token = default) => Task.FromException(Refused());
    }
}
