using System.Text.Json;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace G3.Diversification.Caching;

/// <summary>The in-process side of the cache: how much memory L1 may hold, how long it keeps an entry, the largest entry.</summary>
public sealed record LocalCacheLimits(long SizeLimitBytes = 64L << 20, TimeSpan? Lifetime = null, int MaximumEntryBytes = 1 << 20)
{
    public TimeSpan LocalLifetime => Lifetime ?? TimeSpan.FromMinutes(30);
}

/// <summary>
/// Builds the one <see cref="HybridCache"/> a process uses: L1 in memory (a private MemoryCache bounded by
/// <see cref="LocalCacheLimits.SizeLimitBytes"/>, HybridCache sizing each entry by its bytes), L2 the given
/// <see cref="IDistributedCache"/>, and <see cref="CacheEnvelopeSerializerFactory"/> for every stored value. Its own small
/// container keeps the L1 apart from any other MemoryCache the host registers.
/// </summary>
public static class HybridCaches
{
    /// <param name="json">How cached values are written (see <see cref="CacheEnvelopeSerializerFactory"/>); null: System.Text.Json's defaults.</param>
    public static HybridCache Create(IDistributedCache? distributed, LocalCacheLimits limits, ILoggerFactory? loggers = null, JsonSerializerOptions? json = null)
    {
        var services = new ServiceCollection();
        if (loggers is not null) services.AddSingleton(loggers).AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddMemoryCache(o => o.SizeLimit = limits.SizeLimitBytes);
        if (distributed is not null) services.AddSingleton(distributed);
        services.AddHybridCache(o =>
            {
                o.MaximumPayloadBytes = limits.MaximumEntryBytes;
                o.DefaultEntryOptions = new HybridCacheEntryOptions { LocalCacheExpiration = limits.LocalLifetime };
            })
            .AddSerializerFactory(new CacheEnvelopeSerializerFactory(json));
        return services.BuildServiceProvider().GetRequiredService<HybridCache>();
    }
}
