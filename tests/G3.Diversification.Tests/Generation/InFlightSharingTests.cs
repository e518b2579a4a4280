using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Diversification.Caching;
using G3.Diversification.Generation;
using G3.Diversification.Orchestration;
using G3.Diversification.Prompts;
using G3.Diversification.Providers;

namespace G3.Diversification.Tests.Generation;

/// <summary>Identical requests in flight at once share one provider call; different ones, or any with the cache off, do not.</summary>
public sealed class InFlightSharingTests : IDisposable
{
    private readonly string _cacheDir = Directory.CreateTempSubdirectory("g3-inflight").FullName;
    private static readonly QueryImage Jpeg = new(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 9, 8, 7 });
    private static readonly ReferencePhoto[] Similar = [new("a", new GeoPoint(48.8566, 2.3522), 0.9)];

    private static GenerationRequest Request(int first = 0, int count = 3) =>
        new(Jpeg, new PromptVariant(1, 1), Similar, [], first, count, 0.7, PlaceGranularity.None);

    private static LmmCandidateGenerator Generator(ScriptedChatClient client, ResponseCache cache) =>
        new(LmmKernel.Create([("test", client)]), new LmmProviderInfo("test", "openai", "vision-1", 10, "gpt4v"), PromptTemplates.Default, cache);

    private static ScriptedChatClient GatedClient(TaskCompletionSource gate) =>
        new(i => $"{{\"latitude\": {1 + i % 100}, \"longitude\": 2}}") { Gate = gate.Task };

    [Fact]
    public async Task Two_identical_requests_at_once_make_one_call_and_get_the_same_answers()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = GatedClient(gate);
        var cache = new ResponseCache(_cacheDir, CacheMode.ReadWrite);

        var first = Generator(client, cache).GenerateAsync(Request(), default);
        await client.FirstCall.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var second = Generator(client, cache).GenerateAsync(Request(), default);
        await WaitUntil(() => cache.InFlight.Waiting == 1); // the second missed the cache and waits on the first
        gate.SetResult();
        var (a, b) = (await first, await second);

        Assert.Equal(1, client.Calls);
        Assert.Equal(1, cache.InFlight.Shared);
        Assert.Equal(a.Select(c => c.RawText), b.Select(c => c.RawText));
        Assert.All(b, c => Assert.True(c.IsValid));
    }

    [Fact]
    public async Task Different_requests_and_a_cache_that_is_off_are_not_shared()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = GatedClient(gate);
        var cache = new ResponseCache(_cacheDir, CacheMode.ReadWrite);
        var off = ResponseCache.Disabled;

        Task<IReadOnlyList<Candidate>>[] runs =
        [
            Generator(client, cache).GenerateAsync(Request(first: 0), default),
            Generator(client, cache).GenerateAsync(Request(first: 3), default), // other samples: another request
            Generator(client, off).GenerateAsync(Request(first: 0), default),
            Generator(client, off).GenerateAsync(Request(first: 0), default),  // identical, but the cache is off
        ];
        await WaitUntil(() => client.Calls == 4);
        gate.SetResult();
        await Task.WhenAll(runs);

        Assert.Equal(4, client.Calls);
        Assert.Equal(0, cache.InFlight.Shared);
    }

    [Fact]
    public async Task When_the_first_caller_is_cancelled_a_waiting_one_asks_again_and_is_answered()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = GatedClient(gate);
        var cache = new ResponseCache(_cacheDir, CacheMode.ReadWrite);
        using var cts = new CancellationTokenSource();

        var first = Generator(client, cache).GenerateAsync(Request(), cts.Token);
        await client.FirstCall.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var second = Generator(client, cache).GenerateAsync(Request(), default);
        await WaitUntil(() => cache.InFlight.Waiting == 1);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await WaitUntil(() => client.Calls == 2); // the follower became the first and asked itself
        gate.SetResult();
        var answers = await second;

        Assert.Equal(2, client.Calls);
        Assert.All(answers, c => Assert.True(c.IsValid));
        Assert.Equal(0, cache.InFlight.Shared);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition()) await Task.Delay(5, timeout.Token);
    }

    public void Dispose()
    {
        try { Directory.Delete(_cacheDir, true); } catch (IOException) { }
    }
}
