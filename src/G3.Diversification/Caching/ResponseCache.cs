using G3.Diversification.Parsing;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace G3.Diversification.Caching;

/// <summary>off: never read or write; read-only: replay answers, never store; read-write: both.</summary>
public enum CacheMode
{
    Off,
    ReadOnly,
    ReadWrite,
}

/// <summary>
/// LMM answers by <see cref="ResponseCacheKey"/>, through <see cref="HybridCache"/>: L1 in process, L2 the on-disk store
/// (<see cref="DiskDistributedCache"/>, the embedded default) or a Redis-protocol server shared by replicas. An entry is an
/// <see cref="AnswerEntry"/> in a versioned envelope; an entry of another format or version, a damaged one, or one whose
/// stored key differs from the one asked for is a miss, counted in <see cref="Corrupt"/>, logged, and rewritten by the
/// next store. Nothing the store does is thrown to a caller: an unreachable store is a miss.
/// <para>
/// What is kept, and for how long: an answer that holds a valid coordinate for <see cref="AnswerLifetime"/> (ten years by
/// default: until the folder is cleared). An empty, refused or unparsable answer (no valid coordinate: "I cannot tell", "",
/// a broken JSON) for <see cref="UnusableAnswerLifetime"/> only, then it is a miss and the provider is asked again:
/// replaying it soon after saves a bill, but a refusal from a bad moment must not stand in for that sample for ever.
/// </para>
/// </summary>
public sealed class ResponseCache
{
    // Reads never create: a miss is the provider's business (ProviderChain), so nothing is written on the way.
    private const HybridCacheEntryFlags ReadOnlyFlags = HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite;

    private long _hits, _misses, _refused, _writes;
    private readonly HybridCache _store;
    private readonly HybridCacheEntryFlags _local;
    private readonly DiskDistributedCache? _disk;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    /// <summary>
    /// The embedded cache of one process (the CLI, tests): answers on disk under <paramref name="directory"/>, no L1, so
    /// every read sees the disk as it is.
    /// </summary>
    public ResponseCache(string directory, CacheMode mode, TimeProvider? timeProvider = null)
        : this(new DiskDistributedCache(directory, timeProvider), mode, timeProvider)
    {
    }

    private ResponseCache(DiskDistributedCache disk, CacheMode mode, TimeProvider? timeProvider)
        : this(HybridCaches.Create(disk, new LocalCacheLimits()), mode, timeProvider, localCache: false)
    {
        _disk = disk;
        Directory = disk.Directory;
        if (mode != CacheMode.Off) System.IO.Directory.CreateDirectory(Directory);
    }

    /// <param name="store">The process's HybridCache (see <see cref="HybridCaches"/>).</param>
    /// <param name="localCache">False: every read and write skips L1 and goes to L2.</param>
    public ResponseCache(HybridCache store, CacheMode mode, TimeProvider? timeProvider = null, ILogger? logger = null, bool localCache = true)
    {
        _store = store;
        _local = localCache ? HybridCacheEntryFlags.None : HybridCacheEntryFlags.DisableLocalCache;
        _time = timeProvider ?? TimeProvider.System;
        _log = logger ?? NullLogger.Instance;
        Mode = mode;
    }

    /// <summary>A cache that never hits and never stores.</summary>
    public static ResponseCache Disabled { get; } = new(Path.GetTempPath(), CacheMode.Off);

    /// <summary>The folder of the embedded on-disk store; null when L2 is elsewhere.</summary>
    public string? Directory { get; }

    /// <summary>How long an answer with a valid coordinate is kept.</summary>
    public TimeSpan AnswerLifetime { get; init; } = TimeSpan.FromDays(3650);

    /// <summary>How long an answer without a valid coordinate is replayed before the provider is asked again.</summary>
    public TimeSpan UnusableAnswerLifetime { get; init; } = TimeSpan.FromHours(1);

    public CacheMode Mode { get; }
    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Entries read back and refused: damaged, foreign, of another version, or stored under another key.</summary>
    public long Corrupt => Interlocked.Read(ref _refused) + (_disk?.Damaged ?? 0);

    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>
    /// Identical requests in flight at once in this process share one provider call (used whenever the cache is not off).
    /// HybridCache's own stampede protection does not do this job: one provider call answers several samples, possibly under
    /// a fallback's keys, and a cancelled first caller must not leave its followers waiting on a call nobody wants
    /// (see <see cref="InFlightRequests"/>). Across replicas, <see cref="Lease"/> does it.
    /// </summary>
    public InFlightRequests InFlight { get; } = new();

    /// <summary>Stampede protection across replicas sharing this cache's L2; null for a cache of one process.</summary>
    public IAnswerLease? Lease { get; init; }

    public async Task<string?> TryGetAsync(ResponseCacheKey key, CancellationToken cancellationToken)
    {
        if (Mode == CacheMode.Off) return null;
        var cacheKey = CacheKeyOf(key);
        CacheEnvelope<AnswerEntry>? found;
        try
        {
            found = await _store.GetOrCreateAsync(cacheKey, static _ => ValueTask.FromResult<CacheEnvelope<AnswerEntry>?>(null),
                new HybridCacheEntryOptions { Flags = ReadOnlyFlags | _local }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogWarning(e, "LMM answer cache read failed for {Key}; treated as a miss", cacheKey);
            found = null;
        }

        var entry = found?.Value;
        if (found is not null && (entry is null || entry.Key != key))
        {
            Interlocked.Increment(ref _refused);
            _log.LogWarning("LMM answer cache entry {Key} ignored: {Why}", cacheKey, found.Refused ?? "stored under another key");
            entry = null;
        }
        else if (entry?.Expires is { } expires && expires <= _time.GetUtcNow())
        {
            entry = null; // an unusable answer whose time is up: a miss (not corrupt), and the next store replaces it
        }

        if (entry is null)
        {
            Interlocked.Increment(ref _misses);
            return null;
        }
        Interlocked.Increment(ref _hits);
        return entry.Text;
    }

    public async Task SetAsync(ResponseCacheKey key, string text, CancellationToken cancellationToken)
    {
        if (Mode != CacheMode.ReadWrite) return;
        var now = _time.GetUtcNow();
        var lifetime = Usable(text) ? AnswerLifetime : UnusableAnswerLifetime;
        var entry = new AnswerEntry(key, text, now, Usable(text) ? null : now + UnusableAnswerLifetime);
        try
        {
            await _store.SetAsync(CacheKeyOf(key), CacheEnvelope.Of(entry),
                new HybridCacheEntryOptions { Expiration = lifetime, LocalCacheExpiration = lifetime < LocalLifetime ? lifetime : LocalLifetime, Flags = _local },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _writes);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogWarning(e, "LMM answer cache write failed for {Key}; the answer is not cached", CacheKeyOf(key));
        }
    }

    /// <summary>How long L1 keeps an answer (never longer than the answer itself lives).</summary>
    public TimeSpan LocalLifetime { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The store's key: the content address of <paramref name="key"/> under the answers' prefix.</summary>
    public static string CacheKeyOf(ResponseCacheKey key) => "g3:lmm-answer:" + key.Hash();

    private static bool Usable(string text) => CoordinateParser.Parse(text).Point is not null;
}

/// <summary>One stored LMM answer. <see cref="Expires"/>: null for answers with a valid coordinate (kept for the answer lifetime).</summary>
[CacheFormat("g3.lmm-answer", 1)]
public sealed record AnswerEntry(ResponseCacheKey Key, string Text, DateTimeOffset Created, DateTimeOffset? Expires = null);
