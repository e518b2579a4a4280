using G3.Diversification.Caching;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;

namespace G3.Diversification.Tests.Caching;

/// <summary>Entries carry a format and a version: anything else under an answer's key is a logged miss, never an error.</summary>
public sealed class CacheEnvelopeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("g3-envelope").FullName;

    private static ResponseCacheKey Key() => new("gpt4o", "gpt-4o", "where?", "abc123", 1.2, 200, "low", 0);

    [CacheFormat("g3.lmm-answer", 2)]
    private sealed record NextVersion(string Text);

    [CacheFormat("someone-else", 1)]
    private sealed record Foreign(int Number);

    [Fact]
    public async Task An_entry_of_another_version_or_format_under_an_answer_key_is_a_counted_miss_and_is_overwritten()
    {
        var disk = new DiskDistributedCache(_dir);
        var store = HybridCaches.Create(disk, new LocalCacheLimits());
        var cache = new ResponseCache(store, CacheMode.ReadWrite, localCache: false);
        var key = ResponseCache.CacheKeyOf(Key());

        await store.SetAsync(key, CacheEnvelope.Of(new NextVersion("{\"latitude\": 1, \"longitude\": 2}")), new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCache });
        Assert.Null(await cache.TryGetAsync(Key(), default));
        await store.SetAsync(key, CacheEnvelope.Of(new Foreign(7)), new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCache });
        Assert.Null(await cache.TryGetAsync(Key(), default));
        Assert.Equal(2, cache.Corrupt);

        await cache.SetAsync(Key(), "{\"latitude\": 1, \"longitude\": 2}", default);
        Assert.Equal("{\"latitude\": 1, \"longitude\": 2}", await cache.TryGetAsync(Key(), default));
    }

    [Fact]
    public void Bytes_that_are_not_an_envelope_are_refused_with_the_reason()
    {
        var serializer = new CacheEnvelopeSerializerFactory();
        Assert.True(serializer.TryCreateSerializer<CacheEnvelope<AnswerEntry>>(out var answers));
        foreach (var bytes in new[] { "", "{ not json", "[1,2]", "{\"format\":\"g3.lmm-answer\"}", "{\"format\":\"g3.lmm-answer\",\"version\":1,\"value\":{\"Key\":3}}" })
        {
            var read = answers!.Deserialize(new System.Buffers.ReadOnlySequence<byte>(System.Text.Encoding.UTF8.GetBytes(bytes)));
            Assert.Null(read.Value);
            Assert.False(string.IsNullOrEmpty(read.Refused), bytes);
        }
        Assert.False(serializer.TryCreateSerializer<string>(out _));
    }

    [Fact]
    public async Task The_disk_store_honours_expiry_and_refuses_files_without_its_mark()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var disk = new DiskDistributedCache(_dir, clock);
        await disk.SetAsync("a", [1, 2, 3], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1) });
        await disk.SetAsync("b", [4], new DistributedCacheEntryOptions());
        Assert.Equal([1, 2, 3], await disk.GetAsync("a"));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(await disk.GetAsync("a"));
        Assert.Equal([4], await disk.GetAsync("b"));

        foreach (var file in Directory.GetFiles(_dir, "*.entry", SearchOption.AllDirectories)) await File.WriteAllTextAsync(file, "GARBAGE!!");
        Assert.Null(await disk.GetAsync("b"));
        Assert.True(disk.Damaged >= 1);
        Assert.Null(await disk.GetAsync("never written"));
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
