namespace G3.Diversification.Resilience;

/// <summary>Resilience for one provider. Each part maps to one decorator; <see cref="LmmClientBuilder"/> documents the order.</summary>
public sealed record LmmResilienceOptions
{
    /// <summary>Limit on one attempt (one HTTP call); a timed-out attempt counts as a transient failure and is retried.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public LmmRetryOptions Retry { get; init; } = new();

    public LmmCircuitBreakerOptions CircuitBreaker { get; init; } = new();

    public LmmHedgingOptions Hedging { get; init; } = new();
}

/// <summary>Retries of transient failures (429, 408, 5xx, timeouts, connection errors); never of 400/401/403/404.</summary>
public sealed record LmmRetryOptions
{
    /// <summary>Retries after the first attempt; 0 disables retrying.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>First back-off; it doubles per retry (exponential), with jitter when <see cref="UseJitter"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Ceiling of our own back-off.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A server's Retry-After is honoured up to this cap (a server asking for minutes would otherwise hold a user's request);
    /// longer requests wait the cap and try again.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Spreads retries of simultaneous requests so they do not hit the server in lockstep.</summary>
    public bool UseJitter { get; init; } = true;
}

/// <summary>Polly's circuit breaker per provider: counts transient failures (after retries) in a sliding window.</summary>
public sealed record LmmCircuitBreakerOptions
{
    public bool Enabled { get; init; } = true;

    /// <summary>Share of failed calls in the window that opens the circuit (0 &lt; ratio ≤ 1).</summary>
    public double FailureRatio { get; init; } = 0.5;

    /// <summary>The sliding window (Polly's minimum is 500 ms).</summary>
    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Calls the window must hold before the ratio counts (Polly's minimum is 2).</summary>
    public int MinimumThroughput { get; init; } = 10;

    /// <summary>How long the circuit stays open, failing fast, before one probe call is let through (Polly's minimum is 500 ms).</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Hedging for tail latency (off by default: it spends extra calls). When an attempt has not answered after
/// <see cref="Delay"/>, another is started; the first success wins and the others are cancelled.
/// </summary>
public sealed record LmmHedgingOptions
{
    public bool Enabled { get; init; }

    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Extra attempts beyond the first (1..10).</summary>
    public int MaxHedgedAttempts { get; init; } = 1;
}
