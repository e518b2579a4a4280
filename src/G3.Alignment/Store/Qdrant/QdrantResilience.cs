using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace G3.Alignment.Store.Qdrant;

/// <summary>What one HTTP attempt produced: the status, the fully read body and any Retry-After.</summary>
internal sealed record QdrantHttpResult(HttpStatusCode Status, byte[] Body, TimeSpan? RetryAfter)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;
}

/// <summary>
/// The retry + timeout pipeline around each Qdrant call. The timeout is the inner strategy, so
/// it bounds every attempt (sending and reading the body) and a timed-out attempt is retried;
/// the retry waits exponentially with jitter, or as long as a 429/503's Retry-After asks
/// (capped). Only failures that can pass are retried: network errors, timeouts, 429, 502, 503
/// and 504. Other statuses are final: a 400 resent is still a 400.
/// </summary>
internal static class QdrantResilience
{
    public static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.TooManyRequests
        or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    public static bool IsTransient(Exception exception) =>
        exception is HttpRequestException or TimeoutRejectedException;

    public static ResiliencePipeline<QdrantHttpResult> Build(QdrantStoreOptions options, TimeProvider? timeProvider = null)
    {
        var builder = new ResiliencePipelineBuilder<QdrantHttpResult>();
        if (timeProvider is not null) builder.TimeProvider = timeProvider;
        if (options.RetryCount > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<QdrantHttpResult>
            {
                MaxRetryAttempts = options.RetryCount,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: { } e } => IsTransient(e),
                    { Result: { } r } => IsTransient(r.Status),
                    _ => false,
                }),
                // Honour the server's own pacing when it gives one; null falls back to the backoff.
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result?.RetryAfter is { } after
                        ? (TimeSpan?)(after < options.MaxRetryDelay ? after : options.MaxRetryDelay)
                        : null),
            });
        }
        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = options.RequestTimeout });
        return builder.Build();
    }
}
