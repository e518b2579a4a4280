using G3.Diversification.Caching;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Time.Testing;

namespace G3.Diversification.Tests.Caching;

/// <summary>A cache server that fails costs misses and skipped writes, never an exception, and is tried again after its pause.</summary>
public sealed class DegradingDistributedCacheTests
{
    private sealed class FlakyCache : IDistributedCache
    {
        private readonly MemoryDistributedCacheStandIn _data = new();
        public bool Down { get; set; }
        public int Calls { get; private set; }

        private T Guard<T>(Func<T> call)
        {
            Calls++;
            return Down ? throw new IOException("connection refused") : call();
        }

        public byte[]? Get(string key) => Guard(() => _data.Get(key));
        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromResult(Get(key));
        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => Guard(() => { _data.Set(key, value); return 0; });
        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            Set(key, value, options);
            return Task.CompletedTask;
        }
        public void Refresh(string key) { }
        public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;
        public void Remove(string key) { }
        public Task RemoveAsync(string key, CancellationToken token = default) => Task.CompletedTask;
    }

    private sealed class MemoryDistributedCacheStandIn
    {
        private readonly Dictionary<string, byte[]> _values = [];
        public byte[]? Get(string key) => _values.GetValueOrDefault(key);
        public void Set(string key, byte[] value) => _values[key] = value;
    }

    [Fact]
    public async Task Failures_are_misses_the_server_rests_for_its_pause_and_the_first_success_ends_the_outage()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var inner = new FlakyCache();
        var cache = new DegradingDistributedCache(inner, "redis test:6379", TimeSpan.FromSeconds(5), clock);
        await cache.SetAsync("k", [1], new DistributedCacheEntryOptions());
        Assert.True(cache.State.Up);

        inner.Down = true;
        Assert.Null(await cache.GetAsync("k"));                                   // a miss, not an exception
        await cache.SetAsync("k2", [2], new DistributedCacheEntryOptions());       // skipped, not an exception
        var state = cache.State;
        Assert.False(state.Up);
        Assert.Contains("connection refused", state.LastFailure, StringComparison.Ordinal);
        Assert.Equal(1, cache.Failures);                                          // the second call never reached the server
        Assert.Equal(2, inner.Calls);

        inner.Down = false;
        Assert.Null(await cache.GetAsync("k"));                                   // still resting: no call
        Assert.Equal(2, inner.Calls);
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal([1], await cache.GetAsync("k"));                             // tried again, and it answers
        Assert.True(cache.State.Up);
        Assert.Null(cache.State.DownSince);
    }
}
