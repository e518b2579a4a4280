using G3.Core.Options;
using G3.Diversification.Caching;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using StackExchange.Redis;

namespace G3.Host.Composition;

/// <summary>
/// The process's one cache (section <c>Cache</c>): a HybridCache whose L2 is the on-disk store or, for replicas, a
/// Redis-protocol server behind <see cref="DegradingDistributedCache"/> (the server is optional: down, it costs misses,
/// never errors) and a lease on the same server that keeps replicas from paying twice for answers being asked right now
/// (<see cref="RedisAnswerLease"/>). LMM answers (<see cref="ResponseCache"/>) and follow-up results (Conversations/FollowUpResults) both live here.
/// </summary>
public sealed class G3Caches : IDisposable
{
    private readonly RedisCache? _redis;
    private readonly Lazy<Task<IConnectionMultiplexer>>? _connection;
    private readonly DegradingDistributedCache? _server;

    public G3Caches(CacheSettings settings, string? connectionString, ILoggerFactory loggers)
    {
        Kind = settings.Distributed.Kind;
        IDistributedCache l2;
        IAnswerLease? lease = null;
        if (Kind == DistributedCacheKind.Redis)
        {
            if (CacheServers.Problem(connectionString) is { } problem) throw new G3OptionsException([problem]);
            var options = CacheServers.Options(connectionString!, settings.Distributed.Timeout);
            // One connection for the cache and the lease, opened on first use (a server down at start holds nothing up).
            _connection = new Lazy<Task<IConnectionMultiplexer>>(async () => await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false));
            _redis = new RedisCache(Microsoft.Extensions.Options.Options.Create(new RedisCacheOptions
            {
                ConfigurationOptions = options,
                ConnectionMultiplexerFactory = () => _connection.Value,
            }));
            lease = new RedisAnswerLease(() => _connection.Value, settings.Distributed.LeaseTime, loggers.CreateLogger("G3.Cache"));
            _server = new DegradingDistributedCache(_redis, CacheServers.Describe(options), settings.Distributed.RetryAfter,
                logger: loggers.CreateLogger("G3.Cache"));
            l2 = _server;
        }
        else
        {
            l2 = new DiskDistributedCache(G3Paths.Resolve(settings.Directory), logger: loggers.CreateLogger("G3.Cache"));
        }
        Store = HybridCaches.Create(l2, settings.Local.Limits, loggers, CacheJson.Options);
        Answers = new ResponseCache(Store, settings.Mode, logger: loggers.CreateLogger("G3.Cache"))
        {
            AnswerLifetime = settings.AnswerLifetime,
            UnusableAnswerLifetime = settings.UnusableAnswerLifetime,
            LocalLifetime = settings.Local.Lifetime,
            Lease = lease,
        };
    }

    public DistributedCacheKind Kind { get; }

    public HybridCache Store { get; }

    public ResponseCache Answers { get; }

    /// <summary>The cache server's state; null for the on-disk store (nothing to be down).</summary>
    public DistributedCacheState? Server => _server?.State;

    public void Dispose()
    {
        _redis?.Dispose();
        if (_connection is { IsValueCreated: true, Value.IsCompletedSuccessfully: true }) _connection.Value.Result.Dispose();
    }
}
