using G3.Diversification.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace G3.Diversification.Resilience;

/// <summary>
/// Retries transient failures (<see cref="LmmProviderException.IsTransient"/>: 408, 429, 5xx, timeouts, connection
/// errors, empty choices) with exponential back-off and jitter; a server's Retry-After replaces our back-off, capped at
/// <see cref="LmmRetryOptions.MaxRetryAfter"/>. Never retries what the request itself caused (400, 401, 403, 404).
/// </summary>
public sealed class RetryingChatClient : ResilienceDecorator
{
    private readonly ResiliencePipeline<ChatResponse> _pipeline;

    public RetryingChatClient(IChatClient innerClient, string provider, LmmRetryOptions options, LmmTelemetry telemetry, ILogger logger, TimeProvider? timeProvider = null)
        : base(innerClient)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRetries, 1);
        _pipeline = new ResiliencePipelineBuilder<ChatResponse> { TimeProvider = timeProvider ?? TimeProvider.System }
            .AddRetry(new RetryStrategyOptions<ChatResponse>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = options.UseJitter,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is LmmProviderException { IsTransient: true }),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is LmmProviderException { RetryAfter: { } retryAfter }
                        ? (TimeSpan?)(retryAfter < options.MaxRetryAfter ? retryAfter : options.MaxRetryAfter)
                        : null),
                OnRetry = args =>
                {
                    var failure = args.Outcome.Exception as LmmProviderException;
                    telemetry.Retries.Add(1, new KeyValuePair<string, object?>("provider", provider));
                    logger.LogWarning(
                        "LMM retry: provider {Provider}, attempt {Attempt}, delay {DelayMs} ms, status {Status}: {Reason}",
                        provider, args.AttemptNumber + 1, (long)args.RetryDelay.TotalMilliseconds, failure?.StatusCode, args.Outcome.Exception?.Message);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ExecuteThrough(_pipeline, messages, options, cancellationToken);
}
