using System.Threading.RateLimiting;

namespace G3.Host.Security;

/// <summary>
/// Counts wrong API keys per client address. Once an address has used up its budget, every key it
/// presents (right or wrong) is refused with 429 until the budget refills, so keys cannot be guessed.
/// </summary>
public sealed class FailedKeyLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public FailedKeyLimiter(int attemptsPerMinute)
    {
        var perMinute = Math.Max(1, attemptsPerMinute);
        RetryAfter = TimeSpan.FromSeconds(Math.Ceiling(60.0 / perMinute));
        _limiter = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = RetryAfter,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>How long a locked-out client waits for its next attempt.</summary>
    public TimeSpan RetryAfter { get; }

    public bool IsLockedOut(string client) => _limiter.GetStatistics(client) is { CurrentAvailablePermits: <= 0 };

    public void RecordFailure(string client)
    {
        using var lease = _limiter.AttemptAcquire(client);
    }

    public void Dispose() => _limiter.Dispose();
}
