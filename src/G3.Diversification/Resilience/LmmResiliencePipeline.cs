using G3.Diversification.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Hedging;
using Polly.Retry;
using Polly.Timeout;

namespace G3.Diversification.Resilience;

/// <summary>
/// One provider's Polly pipeline, outermost first: circuit breaker → retry → hedging → timeout (per attempt).
/// <list type="bullet">
/// <item>The breaker sits outside retry so a burst of retried 429s counts as one failed call, not several; it counts
/// transient failures only (a 400 says nothing about the provider's health). Open = fail fast, which lets the fallback
/// chain hand over at once.</item>
/// <item>Retry handles transient failures (408, 429, 5xx, timeouts, connection errors, empty answers) with exponential
/// back-off and jitter; a server's Retry-After replaces our back-off, capped at <see cref="LmmRetryOptions.MaxRetryAfter"/>.</item>
/// <item>Hedging (off by default: it spends extra calls) starts another attempt when one is slow.</item>
/// <item>The timeout is per attempt: the configured <see cref="LmmResilienceOptions.Timeout"/> or the time left before
/// the request's deadline (<see cref="DeadlineKey"/>), whichever is shorter. Once the deadline has passed nothing is
/// retried: the chain's other providers are already running, and the stage stops waiting then.</item>
/// </list>
/// </summary>
public static class LmmResiliencePipeline
{
    /// <summary>The request's deadline in the Polly context (set from <see cref="LmmDeadline"/>).</summary>
    public static readonly ResiliencePropertyKey<DateTimeOffset> DeadlineKey = new("g3.deadline");

    /// <summary>The shortest attempt timeout a deadline can leave (Polly takes zero as "no timeout").</summary>
    private static readonly TimeSpan s_shortestAttempt = TimeSpan.FromMilliseconds(1);

    /// <param name="circuit">Receives the breaker's state, so callers can tell an outage (open circuit) from a slow call.</param>
    public static ResiliencePipeline<ChatResponse> Build(string provider, LmmResilienceOptions options, LmmTelemetry telemetry, ILogger logger, TimeProvider time,
        CircuitBreakerStateProvider? circuit = null)
    {
        var builder = new ResiliencePipelineBuilder<ChatResponse> { Name = $"g3-lmm-{provider}", TimeProvider = time };
        if (options.CircuitBreaker.Enabled)
            builder.AddCircuitBreaker(Breaker(provider, options.CircuitBreaker, telemetry, logger, circuit));
        if (options.Retry.MaxRetries > 0)
            builder.AddRetry(Retry(provider, options.Retry, telemetry, logger, time));
        if (options.Hedging.Enabled)
            builder.AddHedging(Hedging(provider, options.Hedging, logger));
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Timeout = options.Timeout,
            TimeoutGenerator = args => ValueTask.FromResult(AttemptTimeout(options.Timeout, args.Context, time)),
        });
        return builder.Build();
    }

    /// <summary>The configured timeout, shortened to the time left before the request's deadline.</summary>
    internal static TimeSpan AttemptTimeout(TimeSpan configured, ResilienceContext context, TimeProvider time)
    {
        if (!context.Properties.TryGetValue(DeadlineKey, out var deadline))
            return configured;
        var left = deadline - time.GetUtcNow();
        return left < configured ? (left > s_shortestAttempt ? left : s_shortestAttempt) : configured;
    }

    private static bool BeforeDeadline(ResilienceContext context, TimeProvider time) =>
        !context.Properties.TryGetValue(DeadlineKey, out var deadline) || time.GetUtcNow() < deadline;

    /// <summary>What every strategy treats as worth another try: transient provider failures and attempts that timed out.</summary>
    internal static bool IsTransient(Outcome<ChatResponse> outcome) =>
        outcome.Exception is LmmProviderException { IsTransient: true } or TimeoutRejectedException;

    private static CircuitBreakerStrategyOptions<ChatResponse> Breaker(string provider, LmmCircuitBreakerOptions o, LmmTelemetry telemetry, ILogger logger,
        CircuitBreakerStateProvider? circuit) => new()
    {
        StateProvider = circuit,
        FailureRatio = o.FailureRatio,
        SamplingDuration = o.SamplingDuration,
        MinimumThroughput = o.MinimumThroughput,
        BreakDuration = o.BreakDuration,
        ShouldHandle = static args => ValueTask.FromResult(IsTransient(args.Outcome)),
        OnOpened = args =>
        {
            telemetry.CircuitBreaks.Add(1, new KeyValuePair<string, object?>("provider", provider));
            logger.LogError("LMM circuit opened: provider {Provider}, break {BreakSeconds} s: {Reason}",
                provider, args.BreakDuration.TotalSeconds, args.Outcome.Exception?.Message);
            return ValueTask.CompletedTask;
        },
        OnHalfOpened = _ =>
        {
            logger.LogInformation("LMM circuit half-open: provider {Provider}, probing", provider);
            return ValueTask.CompletedTask;
        },
        OnClosed = _ =>
        {
            logger.LogInformation("LMM circuit closed: provider {Provider}", provider);
            return ValueTask.CompletedTask;
        },
    };

    private static RetryStrategyOptions<ChatResponse> Retry(string provider, LmmRetryOptions o, LmmTelemetry telemetry, ILogger logger, TimeProvider time) => new()
    {
        MaxRetryAttempts = o.MaxRetries,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = o.UseJitter,
        Delay = o.BaseDelay,
        MaxDelay = o.MaxDelay,
        ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome) && BeforeDeadline(args.Context, time)),
        DelayGenerator = args => ValueTask.FromResult(
            args.Outcome.Exception is LmmProviderException { RetryAfter: { } retryAfter }
                ? (TimeSpan?)(retryAfter < o.MaxRetryAfter ? retryAfter : o.MaxRetryAfter)
                : null),
        OnRetry = args =>
        {
            telemetry.Retries.Add(1, new KeyValuePair<string, object?>("provider", provider));
            logger.LogWarning("LMM retry: provider {Provider}, attempt {Attempt}, delay {DelayMs} ms, status {Status}: {Reason}",
                provider, args.AttemptNumber + 1, (long)args.RetryDelay.TotalMilliseconds,
                (args.Outcome.Exception as LmmProviderException)?.StatusCode, args.Outcome.Exception?.Message);
            return ValueTask.CompletedTask;
        },
    };

    private static HedgingStrategyOptions<ChatResponse> Hedging(string provider, LmmHedgingOptions o, ILogger logger) => new()
    {
        MaxHedgedAttempts = o.MaxHedgedAttempts,
        Delay = o.Delay,
        ShouldHandle = static args => ValueTask.FromResult(IsTransient(args.Outcome)),
        OnHedging = args =>
        {
            logger.LogInformation("LMM hedging: provider {Provider}, starting attempt {Attempt}", provider, args.AttemptNumber + 1);
            return ValueTask.CompletedTask;
        },
    };
}
