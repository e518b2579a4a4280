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
/// <item>The timeout is per attempt, so a retry gets a fresh budget.</item>
/// </list>
/// </summary>
public static class LmmResiliencePipeline
{
    public static ResiliencePipeline<ChatResponse> Build(string provider, LmmResilienceOptions options, LmmTelemetry telemetry, ILogger logger, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder<ChatResponse> { Name = $"g3-lmm-{provider}", TimeProvider = time };
        if (options.CircuitBreaker.Enabled)
            builder.AddCircuitBreaker(Breaker(provider, options.CircuitBreaker, telemetry, logger));
        if (options.Retry.MaxRetries > 0)
            builder.AddRetry(Retry(provider, options.Retry, telemetry, logger));
        if (options.Hedging.Enabled)
            builder.AddHedging(Hedging(provider, options.Hedging, logger));
        builder.AddTimeout(options.Timeout);
        return builder.Build();
    }

    /// <summary>What every strategy treats as worth another try: transient provider failures and attempts that timed out.</summary>
    internal static bool IsTransient(Outcome<ChatResponse> outcome) =>
        outcome.Exception is LmmProviderException { IsTransient: true } or TimeoutRejectedException;

    private static CircuitBreakerStrategyOptions<ChatResponse> Breaker(string provider, LmmCircuitBreakerOptions o, LmmTelemetry telemetry, ILogger logger) => new()
    {
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

    private static RetryStrategyOptions<ChatResponse> Retry(string provider, LmmRetryOptions o, LmmTelemetry telemetry, ILogger logger) => new()
    {
        MaxRetryAttempts = o.MaxRetries,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = o.UseJitter,
        Delay = o.BaseDelay,
        MaxDelay = o.MaxDelay,
        ShouldHandle = static args => ValueTask.FromResult(IsTransient(args.Outcome)),
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
