using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Diversification.Caching;
using G3.Diversification.Generation;
using G3.Diversification.Orchestration;
using G3.Diversification.Prompts;
using G3.Diversification.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using TextContent = Microsoft.Extensions.AI.TextContent;

namespace G3.Diversification.Tests.Generation;

public sealed class LmmCandidateGeneratorTests : IDisposable
{
    private readonly string _cacheDir = Directory.CreateTempSubdirectory("g3-gen-cache").FullName;
    private static readonly QueryImage Jpeg = new(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3 });
    private static readonly ReferencePhoto[] Similar = [new("a", new GeoPoint(48.8566, 2.3522), 0.9), new("b", new GeoPoint(45.764, 4.8357), 0.8)];
    private static readonly ReferencePhoto[] Dissimilar = [new("z", new GeoPoint(-33.8688, 151.2093), -0.2), new("y", new GeoPoint(35.68, 139.69), -0.1)];

    private static GenerationRequest Request(int first = 0, int count = 3, int refs = 2) => new(
        Jpeg, new PromptVariant(1, refs), Similar.Take(refs).ToList(), Dissimilar.Take(refs).ToList(), first, count, 0.7, PlaceGranularity.None);

    private LmmCandidateGenerator Generator(ScriptedChatClient client, int maxPerCall, CacheMode mode = CacheMode.ReadWrite) =>
        new(LmmKernel.Create([("test", client)]), new LmmProviderInfo("test", "openai", "vision-1", maxPerCall, "gpt4v"),
            PromptTemplates.Default, new ResponseCache(_cacheDir, mode));

    [Fact]
    public async Task One_call_with_n_choices_when_the_provider_supports_it()
    {
        var client = new ScriptedChatClient(i => $"{{\"latitude\": {10 + i % 100}, \"longitude\": 20}}");
        var candidates = await Generator(client, maxPerCall: 10).GenerateAsync(Request(first: 4, count: 3), default);

        Assert.Equal(1, client.Calls);
        Assert.Equal([4, 5, 6], candidates.Select(c => c.SampleIndex!.Value));
        Assert.Equal([10.0, 11, 12], candidates.Select(c => c.Point!.Value.Latitude));
        Assert.All(candidates, c => Assert.Equal(new PromptVariant(1, 2), c.Variant));
        var (messages, options) = Assert.Single(client.Requests);
        Assert.NotNull(options);
        Assert.Equal(3, LmmCallSettings.Of(options).Choices);
        Assert.Equal(0.7f, options.Temperature); // the request's temperature wins over the profile's 1.2
        Assert.Equal(200, options.MaxOutputTokens);
        Assert.Equal("vision-1", options.ModelId);
        Assert.Equal("low", LmmCallSettings.Of(options).ImageDetail);
        var contents = Assert.Single(messages).Contents;
        var text = Assert.IsType<TextContent>(contents[0]).Text;
        Assert.Contains("(48.8566, 2.3522), (45.7640, 4.8357)", text, StringComparison.Ordinal);
        Assert.Contains("(-33.8688, 151.2093)", text, StringComparison.Ordinal);
        var image = Assert.IsType<DataContent>(contents[1]);
        Assert.Equal("image/jpeg", image.MediaType);
        Assert.Equal(Jpeg.Bytes.ToArray(), image.Data.ToArray());
    }

    [Fact]
    public async Task One_call_per_sample_otherwise()
    {
        var client = new ScriptedChatClient(_ => "(40.0, -3.7)");
        var candidates = await Generator(client, maxPerCall: 1).GenerateAsync(Request(count: 3), default);
        Assert.Equal(3, client.Calls);
        Assert.All(client.Requests, r => Assert.Equal(1, LmmCallSettings.Of(r.Options).Choices));
        Assert.All(candidates, c => Assert.True(c.IsValid));
    }

    [Fact]
    public async Task Cached_answers_cost_no_call_the_second_time()
    {
        var client = new ScriptedChatClient(i => $"{{\"latitude\": {1 + i % 100}, \"longitude\": 2}}");
        var first = await Generator(client, 10).GenerateAsync(Request(count: 5), default);
        var second = await Generator(client, 10).GenerateAsync(Request(count: 5), default);
        Assert.Equal(1, client.Calls);
        Assert.Equal(first.Select(c => c.Point), second.Select(c => c.Point));
        Assert.Equal(first.Select(c => c.RawText), second.Select(c => c.RawText));
    }

    [Fact]
    public async Task Only_missing_samples_are_asked_for()
    {
        var client = new ScriptedChatClient(i => $"{{\"latitude\": {1 + i % 100}, \"longitude\": 2}}");
        await Generator(client, 10).GenerateAsync(Request(first: 0, count: 2), default);
        await Generator(client, 10).GenerateAsync(Request(first: 0, count: 5), default);
        Assert.Equal(2, client.Calls);
        Assert.Equal(3, LmmCallSettings.Of(client.Requests.Last().Options).Choices);
    }

    [Fact]
    public async Task A_different_prompt_is_a_different_cache_entry()
    {
        var client = new ScriptedChatClient(_ => "(40.0, -3.7)");
        await Generator(client, 10).GenerateAsync(Request(refs: 2), default);
        await Generator(client, 10).GenerateAsync(Request(refs: 1), default);
        Assert.Equal(2, client.Calls);
    }

    [Fact]
    public async Task Provider_failures_become_failed_candidates_not_exceptions()
    {
        var client = new ScriptedChatClient(_ => "x") { Fail = () => new HttpRequestException("connection reset") };
        var candidates = await Generator(client, 10).GenerateAsync(Request(count: 3), default);
        Assert.All(candidates, c =>
        {
            Assert.Equal(ParseOutcome.ProviderError, c.Outcome);
            Assert.Contains("connection reset", c.Error, StringComparison.Ordinal);
        });
        Assert.Empty(Directory.GetFiles(_cacheDir, "*.entry", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Nonsense_answers_are_kept_as_unparsable_candidates_with_their_text()
    {
        var client = new ScriptedChatClient(i => i % 2 == 0 ? "I cannot say." : "{\"latitude\": 0, \"longitude\": 0}");
        var candidates = await Generator(client, 10).GenerateAsync(Request(count: 2), default);
        Assert.True(ParseOutcome.Unparsable == candidates[0].Outcome, candidates[0].Error);
        Assert.Equal("I cannot say.", candidates[0].RawText);
        Assert.Equal(ParseOutcome.Invalid, candidates[1].Outcome);
    }

    [Fact]
    public async Task Caller_cancellation_propagates()
    {
        var client = new ScriptedChatClient(_ => "x") { Fail = () => new OperationCanceledException() };
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Generator(client, 10).GenerateAsync(Request(), cts.Token));
    }

    [Fact]
    public async Task Each_provider_of_the_chain_is_looked_up_once_at_construction_and_then_called_directly()
    {
        // The primary fails every call, so both requests reach the fallback too.
        var primary = new ScriptedChatClient(_ => "unused") { Fail = () => new InvalidOperationException("down") };
        var fallback = new ScriptedChatClient(_ => "(40.0, -3.7)");
        var ready = LmmKernel.Create([("primary", primary), ("fallback", fallback)]);
        var lookups = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var builder = Kernel.CreateBuilder();
        foreach (var name in new[] { "primary", "fallback" })
            builder.Services.AddKeyedTransient<IChatClient>(name, (services, key) =>
            {
                lookups.AddOrUpdate(name, 1, (_, n) => n + 1);
                return ready.Services.GetRequiredKeyedService<IChatClient>(name);
            });
        var info = new LmmProviderInfo("primary", "openai", "vision-1", 10, "gpt4v") { Fallbacks = [new LmmProviderInfo("fallback", "ollama", "llava", 1, "llava")] };
        var generator = new LmmCandidateGenerator(builder.Build(), info, PromptTemplates.Default, ResponseCache.Disabled);

        var first = await generator.GenerateAsync(Request(count: 2), default);
        var second = await generator.GenerateAsync(Request(count: 2), default);

        Assert.All(first.Concat(second), c => Assert.True(c.IsValid));
        Assert.Equal(2, primary.Calls);
        Assert.Equal(4, fallback.Calls);
        Assert.Equal(1, lookups["primary"]);
        Assert.Equal(1, lookups["fallback"]);
    }

    public void Dispose() => Directory.Delete(_cacheDir, true);
}
