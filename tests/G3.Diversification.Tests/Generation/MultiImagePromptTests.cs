using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Diversification.Caching;
using G3.Diversification.Generation;
using G3.Diversification.Orchestration;
using G3.Diversification.Prompts;
using G3.Diversification.Providers;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Tests.Generation;

/// <summary>Several photos of one place: every photo in the rendered prompt (up to the provider's limit), and in the cache key.</summary>
public sealed class MultiImagePromptTests : IDisposable
{
    private readonly string _cacheDir = Directory.CreateTempSubdirectory("g3-multi-cache").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_cacheDir, true); } catch (IOException) { }
    }

    private static QueryImage Jpeg(byte tag) => new(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, tag });

    private static GenerationRequest Request(params QueryImage[] images) =>
        new GenerationRequest(images[0], new PromptVariant(1, 1), [new ReferencePhoto("a", new GeoPoint(48.8566, 2.3522), 0.9)], [], 0, 1, 0.7, PlaceGranularity.None)
        { Images = images };

    private LmmCandidateGenerator Generator(ScriptedChatClient client, int maxImages = 8) =>
        new(LmmKernel.Create([("test", client)]), new LmmProviderInfo("test", "openai", "vision-1", 10, "gpt4v", MaxImages: maxImages),
            PromptTemplates.Default, new ResponseCache(_cacheDir, CacheMode.ReadWrite));

    [Fact]
    public async Task Every_photo_is_an_image_part_of_the_one_user_message_in_order()
    {
        var client = new ScriptedChatClient(_ => "{\"latitude\": 1, \"longitude\": 2}");
        var candidates = await Generator(client).GenerateAsync(Request(Jpeg(1), Jpeg(2), Jpeg(3)), default);
        Assert.True(Assert.Single(candidates).IsValid);
        var contents = Assert.Single(Assert.Single(client.Requests).Messages).Contents;
        var images = contents.OfType<DataContent>().ToList();
        Assert.Equal([1, 2, 3], images.Select(i => i.Data.Span[4]));
        Assert.All(images, i => Assert.Equal("image/jpeg", i.MediaType));
        Assert.Single(contents.OfType<TextContent>());
    }

    [Fact]
    public async Task The_provider_limit_keeps_the_first_photos()
    {
        var client = new ScriptedChatClient(_ => "{\"latitude\": 1, \"longitude\": 2}");
        await Generator(client, maxImages: 2).GenerateAsync(Request(Jpeg(1), Jpeg(2), Jpeg(3)), default);
        var images = Assert.Single(Assert.Single(client.Requests).Messages).Contents.OfType<DataContent>().ToList();
        Assert.Equal([1, 2], images.Select(i => i.Data.Span[4]));
    }

    [Fact]
    public async Task Cached_answers_are_keyed_by_every_photo()
    {
        var client = new ScriptedChatClient(_ => "{\"latitude\": 1, \"longitude\": 2}");
        await Generator(client).GenerateAsync(Request(Jpeg(1), Jpeg(2)), default);
        await Generator(client).GenerateAsync(Request(Jpeg(1), Jpeg(2)), default);
        Assert.Equal(1, client.Calls);
        // Same first photo, another second one: a new question.
        await Generator(client).GenerateAsync(Request(Jpeg(1), Jpeg(3)), default);
        Assert.Equal(2, client.Calls);
        // The first photo alone: not the pair's answer either.
        await Generator(client).GenerateAsync(Request(Jpeg(1)), default);
        Assert.Equal(3, client.Calls);
    }
}
