using System.Threading.RateLimiting;
using G3.Diversification.Providers;

namespace G3.Diversification.Resilience;

/// <summary>
/// One provider's rate limits (Lmm:Providers:NAME:RequestsPerMinute and TokensPerMinute), with System.Threading.RateLimiting
/// token buckets, shared by every call to the provider (the service's requests and experiment runs alike: both go through
/// the provider's one pipeline).
/// <list type="bullet">
/// <item>Requests: a bucket of one permit, refilled every 60 s / RequestsPerMinute, widened by <see cref="SpacingMargin"/>.
/// Calls are spaced evenly instead of sent in a burst, so no 60-second window holds more than the limit however the
/// provider slides its window; the margin keeps the limit's next call clear of the window's edge when the provider's clock
/// and the network's delays differ from ours (at the exact spacing, that call lands on the edge: a run measured 429s).</item>
/// <item>Tokens: a bucket holding one minute's tokens, refilled evenly; a call takes its estimate (input plus completion
/// limit, clamped to the bucket's size so the largest call still goes once the bucket is full).</item>
/// </list>
/// Waiting calls queue oldest first and honour their cancellation (the request's deadline).
/// </summary>
public sealed class LmmRateLimiter : IDisposable
{
    private readonly TokenBucketRateLimiter? _requests;
    private readonly TokenBucketRateLimiter? _tokens;
    private readonly int _tokenCapacity;

    /// <param name="autoReplenish">False only in tests, which refill the buckets by hand (<see cref="Replenish"/>) instead of waiting.</param>
    public LmmRateLimiter(int? requestsPerMinute, int? tokensPerMinute, bool autoReplenish = true)
    {
        if (requestsPerMinute is { } rpm)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(rpm, 1, nameof(requestsPerMinute));
            RequestInterval = Spacing(rpm);
            _requests = Bucket(1, 1, RequestInterval.Value, autoReplenish);
        }
        if (tokensPerMinute is { } tpm)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(tpm, 1, nameof(tokensPerMinute));
            // About one refill a second (a sixtieth of a minute's tokens), the period stretched so the rate stays exact.
            var perRefill = Math.Max(1, tpm / 60);
            _tokenCapacity = tpm;
            TokenRefill = (perRefill, TimeSpan.FromMinutes(1) * perRefill / tpm);
            _tokens = Bucket(tpm, perRefill, TokenRefill.Value.Period, autoReplenish);
        }
    }

    /// <summary>The limits of <paramref name="provider"/>; null when it sets none.</summary>
    public static LmmRateLimiter? For(LmmProviderOptions provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return provider.RequestsPerMinute is null && provider.TokensPerMinute is null ? null : new LmmRateLimiter(provider.RequestsPerMinute, provider.TokensPerMinute);
    }

    /// <summary>How much wider than 60 s / RequestsPerMinute calls are spaced (1 %: 600 ms over a minute's calls).</summary>
    public const double SpacingMargin = 0.01;

    /// <summary>The time between two calls at <paramref name="requestsPerMinute"/>: 60 s / it, widened by <see cref="SpacingMargin"/>.</summary>
    public static TimeSpan Spacing(int requestsPerMinute) => TimeSpan.FromMinutes(1) / requestsPerMinute * (1 + SpacingMargin);

    /// <summary>The time between two calls (<see cref="Spacing"/>); null: no request limit.</summary>
    public TimeSpan? RequestInterval { get; }

    /// <summary>How many tokens come back, how often (TokensPerMinute a minute in all); null: no token limit.</summary>
    public (int Tokens, TimeSpan Period)? TokenRefill { get; }

    /// <summary>Whether calls must estimate their tokens (a tokens-per-minute limit is set).</summary>
    public bool LimitsTokens => _tokens is not null;

    /// <summary>Calls waiting for a request permit now.</summary>
    public long QueuedRequests => _requests?.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>Tokens waited for now (the sum over waiting calls).</summary>
    public long QueuedTokens => _tokens?.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>Waits for one request permit and <paramref name="tokens"/> tokens (cancellable).</summary>
    public async ValueTask AcquireAsync(int tokens, CancellationToken cancellationToken)
    {
        if (_requests is not null)
            Ensure(await _requests.AcquireAsync(1, cancellationToken).ConfigureAwait(false));
        if (_tokens is not null && tokens > 0)
            Ensure(await _tokens.AcquireAsync(Math.Min(tokens, _tokenCapacity), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Refills both buckets by one period (tests; in service the buckets refill on their own). A bucket refills only when its
    /// period has passed since its last refill, as System.Threading.RateLimiting keeps it.
    /// </summary>
    internal void Replenish()
    {
        _requests?.TryReplenish();
        _tokens?.TryReplenish();
    }

    public void Dispose()
    {
        _requests?.Dispose();
        _tokens?.Dispose();
    }

    // A token bucket's permits are consumed, not returned: disposing the lease gives nothing back.
    private static void Ensure(RateLimitLease lease)
    {
        using (lease)
            if (!lease.IsAcquired)
                throw new InvalidOperationException("the LMM rate limiter's queue is full");
    }

    private static TokenBucketRateLimiter Bucket(int capacity, int perRefill, TimeSpan period, bool autoReplenish) => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = capacity,
        TokensPerPeriod = perRefill,
        ReplenishmentPeriod = period,
        AutoReplenishment = autoReplenish,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        QueueLimit = int.MaxValue,
    });
}
