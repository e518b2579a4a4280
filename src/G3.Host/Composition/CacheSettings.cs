using G3.Diversification.Caching;

namespace G3.Host.Composition;

/// <summary>
/// Section <c>Cache</c>: the one cache (HybridCache) that holds LMM answers and the results follow-ups refer to. L1 is
/// in process (<see cref="Local"/>); L2 is chosen by <c>Cache:Distributed:Kind</c>: the on-disk store under
/// <see cref="Directory"/> (the embedded default) or a Redis-protocol server shared by replicas.
/// </summary>
public sealed class CacheSettings
{
    public const string SectionName = "Cache";

    /// <summary>LMM answers only: Off, ReadOnly or ReadWrite. Follow-up results are cached whatever the mode.</summary>
    public CacheMode Mode { get; set; } = CacheMode.ReadWrite;

    /// <summary>The on-disk L2's folder (Distributed:Kind disk).</summary>
    public string Directory { get; set; } = "data/cache/lmm";

    /// <summary>How long an answer with a valid coordinate is kept (ten years: until the store is cleared).</summary>
    public TimeSpan AnswerLifetime { get; set; } = TimeSpan.FromDays(3650);

    /// <summary>How long an empty, refused or unparsable answer is replayed before the provider is asked again.</summary>
    public TimeSpan UnusableAnswerLifetime { get; set; } = TimeSpan.FromHours(1);

    public LocalCacheSettings Local { get; set; } = new();

    public DistributedCacheSettings Distributed { get; set; } = new();

    /// <param name="connectionString">ConnectionStrings:Cache, which Distributed:Kind redis needs.</param>
    public IEnumerable<string> Validate(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(Directory)) yield return "Cache:Directory must name a folder.";
        if (Distributed?.Kind == DistributedCacheKind.Redis && CacheServers.Problem(connectionString) is { } problem) yield return problem;
        if (AnswerLifetime < TimeSpan.FromSeconds(1) || AnswerLifetime > TimeSpan.FromDays(36500))
            yield return $"Cache:AnswerLifetime must lie between 00:00:01 and 36500.00:00:00 (got {AnswerLifetime}).";
        if (UnusableAnswerLifetime < TimeSpan.FromSeconds(1) || UnusableAnswerLifetime > AnswerLifetime)
            yield return $"Cache:UnusableAnswerLifetime must lie between 00:00:01 and Cache:AnswerLifetime (got {UnusableAnswerLifetime}).";
        foreach (var e in (Local ?? new()).Validate()) yield return e;
        foreach (var e in (Distributed ?? new()).Validate()) yield return e;
    }
}

/// <summary>Section <c>Cache:Local</c>: the in-process L1.</summary>
public sealed class LocalCacheSettings
{
    /// <summary>Bytes all L1 entries may hold together; the least recently used go first past it.</summary>
    public long SizeLimitBytes { get; set; } = 64L << 20;

    /// <summary>How long L1 keeps an entry (L2 keeps it for its own lifetime).</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The largest entry cached (serialized bytes); a larger one is not cached, and is logged.</summary>
    public int MaximumEntryBytes { get; set; } = 1 << 20;

    public IEnumerable<string> Validate()
    {
        if (SizeLimitBytes < 1 << 20) yield return $"Cache:Local:SizeLimitBytes must be at least 1048576 (got {SizeLimitBytes}).";
        if (Lifetime < TimeSpan.FromSeconds(1) || Lifetime > TimeSpan.FromDays(30))
            yield return $"Cache:Local:Lifetime must lie between 00:00:01 and 30.00:00:00 (got {Lifetime}).";
        if (MaximumEntryBytes < 1024 || MaximumEntryBytes > SizeLimitBytes)
            yield return $"Cache:Local:MaximumEntryBytes must lie between 1024 and Cache:Local:SizeLimitBytes (got {MaximumEntryBytes}).";
    }

    internal LocalCacheLimits Limits => new(SizeLimitBytes, Lifetime, MaximumEntryBytes);
}

/// <summary>Where L2 lives.</summary>
public enum DistributedCacheKind
{
    /// <summary>The on-disk store under Cache:Directory: no server, one machine (or one shared volume).</summary>
    Disk,

    /// <summary>A Redis-protocol server (Redis, Garnet, Valkey), shared by every replica; ConnectionStrings:Cache says where.</summary>
    Redis,
}

/// <summary>Section <c>Cache:Distributed</c>: the L2.</summary>
public sealed class DistributedCacheSettings
{
    public DistributedCacheKind Kind { get; set; } = DistributedCacheKind.Disk;

    /// <summary>The longest a cache server command may take before it counts as a failure (then the server is left alone for <see cref="RetryAfter"/>).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>After a failure, how long the cache server is not asked (every read a miss, every write skipped).</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// redis only: how long a replica's lease on answers it is asking for lives; another replica that wants the same answers
    /// waits for them at most this long, then asks itself. About the LMM stage's time budget.
    /// </summary>
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<string> Validate()
    {
        if (LeaseTime < TimeSpan.FromMilliseconds(100) || LeaseTime > TimeSpan.FromMinutes(10))
            yield return $"Cache:Distributed:LeaseTime must lie between 00:00:00.100 and 00:10:00 (got {LeaseTime}).";
        if (!Enum.IsDefined(Kind)) yield return $"Cache:Distributed:Kind must be disk or redis (got {Kind}).";
        if (Timeout < TimeSpan.FromMilliseconds(10) || Timeout > TimeSpan.FromMinutes(1))
            yield return $"Cache:Distributed:Timeout must lie between 00:00:00.010 and 00:01:00 (got {Timeout}).";
        if (RetryAfter < TimeSpan.FromMilliseconds(10) || RetryAfter > TimeSpan.FromHours(1))
            yield return $"Cache:Distributed:RetryAfter must lie between 00:00:00.010 and 01:00:00 (got {RetryAfter}).";
    }
}
