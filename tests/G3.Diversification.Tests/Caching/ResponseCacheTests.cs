using G3.Diversification.Caching;

namespace G3.Diversification.Tests.Caching;

public sealed class ResponseCacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("g3-cache").FullName;

    private static ResponseCacheKey Key(int sample = 0, string prompt = "where?") =>
        new("gpt4o", "gpt-4o", prompt, "abc123", 1.2, 200, "low", sample);

    [Fact]
    public async Task Read_write_stores_and_replays_answers()
    {
        var cache = new ResponseCache(_dir, CacheMode.ReadWrite);
        Assert.Null(await cache.TryGetAsync(Key(), default));
        await cache.SetAsync(Key(), "{\"latitude\": 1, \"longitude\": 2}", default);
        Assert.Equal("{\"latitude\": 1, \"longitude\": 2}", await cache.TryGetAsync(Key(), default));
        Assert.Null(await cache.TryGetAsync(Key(sample: 1), default));
        Assert.Null(await cache.TryGetAsync(Key(prompt: "other"), default));
        Assert.Equal(1, cache.Hits);
        Assert.Equal(3, cache.Misses);
        // Survives a new instance (it is on disk), and leaves no temp files behind.
        Assert.Equal("{\"latitude\": 1, \"longitude\": 2}", await new ResponseCache(_dir, CacheMode.ReadOnly).TryGetAsync(Key(), default));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Read_only_never_writes_and_off_never_reads()
    {
        await new ResponseCache(_dir, CacheMode.ReadWrite).SetAsync(Key(), "x", default);
        var readOnly = new ResponseCache(_dir, CacheMode.ReadOnly);
        await readOnly.SetAsync(Key(sample: 5), "y", default);
        Assert.Null(await readOnly.TryGetAsync(Key(sample: 5), default));
        Assert.Equal("x", await readOnly.TryGetAsync(Key(), default));
        Assert.Null(await new ResponseCache(_dir, CacheMode.Off).TryGetAsync(Key(), default));
    }

    [Fact]
    public async Task Corrupt_entries_are_misses_and_get_rewritten()
    {
        var cache = new ResponseCache(_dir, CacheMode.ReadWrite);
        await cache.SetAsync(Key(), "good", default);
        var file = Directory.GetFiles(_dir, "*.entry", SearchOption.AllDirectories).Single();
        await File.WriteAllTextAsync(file, "{ not json");
        Assert.Null(await cache.TryGetAsync(Key(), default));
        Assert.Equal(1, cache.Corrupt);
        await cache.SetAsync(Key(), "good again", default);
        Assert.Equal("good again", await cache.TryGetAsync(Key(), default));
    }

    [Fact]
    public async Task Concurrent_writers_of_the_same_key_leave_one_whole_entry()
    {
        var cache = new ResponseCache(_dir, CacheMode.ReadWrite);
        var writers = Enumerable.Range(0, 32).Select(i => Task.Run(() => cache.SetAsync(Key(), $"answer {i % 2}", default)));
        var readers = Enumerable.Range(0, 32).Select(_ => Task.Run(() => cache.TryGetAsync(Key(), default)));
        await Task.WhenAll(writers);
        var seen = await Task.WhenAll(readers);
        Assert.All(seen, s => Assert.True(s is null or "answer 0" or "answer 1"));
        Assert.Contains(await cache.TryGetAsync(Key(), default), new[] { "answer 0", "answer 1" });
        Assert.Single(Directory.GetFiles(_dir, "*.entry", SearchOption.AllDirectories));
        Assert.Equal(0, cache.Corrupt);
    }

    [Fact]
    public void Keys_differ_when_any_sampling_input_differs()
    {
        var k = Key();
        Assert.Equal(k.Hash(), Key().Hash());
        Assert.NotEqual(k.Hash(), (k with { Temperature = 0.7 }).Hash());
        Assert.NotEqual(k.Hash(), (k with { ImageSha256 = "def" }).Hash());
        Assert.NotEqual(k.Hash(), (k with { Model = "gpt-4o-mini" }).Hash());
        Assert.NotEqual(k.Hash(), (k with { MaxTokens = 100 }).Hash());
    }

    [Fact]
    public async Task Empty_or_refused_answers_expire_and_answers_with_a_coordinate_do_not()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var cache = new ResponseCache(_dir, CacheMode.ReadWrite, clock);
        await cache.SetAsync(Key(sample: 0), "I'm sorry, I can't help with that.", default);
        await cache.SetAsync(Key(sample: 1), "", default);
        await cache.SetAsync(Key(sample: 2), "{\"latitude\": 1, \"longitude\": 2}", default);
        Assert.NotNull(await cache.TryGetAsync(Key(sample: 0), default)); // replayed soon after: no second bill

        clock.Advance(cache.UnusableAnswerLifetime + TimeSpan.FromSeconds(1));

        Assert.Null(await cache.TryGetAsync(Key(sample: 0), default));
        Assert.Null(await cache.TryGetAsync(Key(sample: 1), default));
        Assert.Equal("{\"latitude\": 1, \"longitude\": 2}", await cache.TryGetAsync(Key(sample: 2), default));
        Assert.Equal(0, cache.Corrupt);
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
