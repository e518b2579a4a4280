using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace G3.Diversification.Caching;

/// <summary>What the service knows of its cache server: up, or down since when and why.</summary>
public sealed record DistributedCacheState(string Server, bool Up, DateTimeOffset? DownSince, string? LastFailure, DateTimeOffset? NextAttempt);

/// <summary>
/// Makes a cache server optional: a failed read is a miss and a failed write is skipped, so a request never fails because
/// the server is down (the answer comes from L1 or from a fresh provider call). After a failure the server is left alone
/// for <c>retryAfter</c> (every call in that window is a miss without a network round trip, and the outage is logged
/// once), then the next call tries it again; the first success ends the outage. <see cref="State"/> is what /readyz
/// reports: the service stays ready while the cache server is down.
/// </summary>
public sealed class DegradingDistributedCache(IDistributedCache inner, string server, TimeSpan retryAfter, TimeProvider? timeProvider = null, ILogger? logger = null)
    : IDistributedCache
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ILogger _log = logger ?? NullLogger.Instance;
    private readonly Lock _gate = new();
    private DateTimeOffset? _downSince;
    private DateTimeOffset _nextAttempt;
    private string? _lastFailure;
    private long _failures;

    /// <summary>Calls that failed (each a miss or a skipped write).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    public DistributedCacheState State
    {
        get
        {
            lock (_gate)
                return new DistributedCacheState(server, _downSince is null, _downSince, _lastFailure, _downSince is null ? null : _nextAttempt);
        }
    }

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) =>
        GuardAsync(() => inner.GetAsync(key, token), default(byte[]), token);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        GuardAsync(async () => { await inner.SetAsync(key, value, options, token).ConfigureAwait(false); return true; }, false, token);

    public void Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    public Task RefreshAsync(string key, CancellationToken token = default) =>
        GuardAsync(async () => { await inner.RefreshAsync(key, token).ConfigureAwait(false); return true; }, false, token);

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public Task RemoveAsync(string key, CancellationToken token = default) =>
        GuardAsync(async () => { await inner.RemoveAsync(key, token).ConfigureAwait(false); return true; }, false, token);

    private async Task<T> GuardAsync<T>(Func<Task<T>> call, T whenDown, CancellationToken token)
    {
        lock (_gate)
            if (_downSince is not null && _time.GetUtcNow() < _nextAttempt) return whenDown;
        try
        {
            var result = await call().ConfigureAwait(false);
            Recovered();
            return result;
        }
        catch (Exception e) when (!token.IsCancellationRequested)
        {
            Failed(e);
            return whenDown;
        }
    }

    private void Recovered()
    {
        lock (_gate)
        {
            if (_downSince is null) return;
            _log.LogInformation("Cache server {Server} is back after {Outage}", server, _time.GetUtcNow() - _downSince.Value);
            _downSince = null;
            _lastFailure = null;
        }
    }

    private void Failed(Exception e)
    {
        Interlocked.Increment(ref _failures);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            _nextAttempt = now + retryAfter;
            _lastFailure = $"{e.GetType().Name}: {e.Message}";
            if (_downSince is not null) return;
            _downSince = now;
        }
        _log.LogWarning(e, "Cache server {Server} cannot be reached; answers come from the in-process cache or fresh calls, next try in {RetryAfter}", server, retryAfter);
    }
}
