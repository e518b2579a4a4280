using G3.Host.Tests.Caching;

namespace G3.Host.Tests.Hostile;

/// <summary>
/// The hostile suite's service (<see cref="KestrelServiceFixture"/>) configured to cache LMM answers and follow-up results
/// on a Redis-protocol server at a loopback port where no server listens: the cache server is down from the start and stays
/// down. Needs no redis-server binary.
/// </summary>
public sealed class CacheServerDownFixture : KestrelServiceFixture
{
    protected override string[] MoreSettings { get; } =
    [
        "--Cache:Mode=ReadWrite",
        "--Cache:Distributed:Kind=redis",
        $"--ConnectionStrings:Cache=127.0.0.1:{RedisServer.FreePort()}",
        "--Cache:Distributed:RetryAfter=00:00:00.2",
    ];
}
