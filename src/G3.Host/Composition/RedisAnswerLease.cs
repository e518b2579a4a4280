using G3.Diversification.Caching;
using StackExchange.Redis;

namespace G3.Host.Composition;

/// <summary>
/// <see cref="IAnswerLease"/> on the replicas' Redis-protocol server: StackExchange.Redis's lock (SET key token NX PX,
/// released only by its holder's token). A replica that finds the lease taken checks every <see cref="PollInterval"/>
/// until it is released or has expired (<c>leaseTime</c>, about one LMM stage), then takes it itself. Any server error
/// means no lease: the replica asks the provider as if alone (a cache server that is down never holds a request up).
/// </summary>
internal sealed class RedisAnswerLease(Func<Task<IConnectionMultiplexer>> connect, TimeSpan leaseTime, ILogger log) : IAnswerLease
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    public async Task<AnswerLease> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid().ToString("N");
        try
        {
            var database = (await connect().ConfigureAwait(false)).GetDatabase();
            var giveUp = DateTime.UtcNow + leaseTime;
            while (!await database.LockTakeAsync(key, token, leaseTime).ConfigureAwait(false))
            {
                // Held elsewhere: wait for its release (its answers are stored by then), never longer than a lease lives.
                if (DateTime.UtcNow > giveUp) return AnswerLease.None;
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
            return new AnswerLease(async () =>
            {
                try
                {
                    await database.LockReleaseAsync(key, token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
                {
                    log.LogDebug(e, "LMM lease {Key} not released; it expires by itself", key);
                }
            });
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            log.LogDebug(e, "LMM lease {Key} not taken: the cache server cannot be asked", key);
            return AnswerLease.None;
        }
    }
}
