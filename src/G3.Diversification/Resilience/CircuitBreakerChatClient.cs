using G3.Diversification.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace G3.Diversification.Resilience;

/// <summary>
/// Polly's circuit breaker for one provider (one instance per provider, shared by every request). It counts calls
/// that failed transiently after their retries; a request-caused failure (400, 401, …) says nothing about the
/// provider's health and does not count. While open, calls throw <see cref="LmmCircuitOpenException"/> at once,
/// which lets the fallback chain move on without waiting.
/// </summary>
public sealed class CircuitBreakerChatClient : ResilienceDecorator
{
    private readonly string _provider;
    private readonly ResiliencePipeline<ChatResponse> _pipeline;

    public CircuitBreakerChatClient(IChatClient innerClient, string provider, LmmCircuitBreakerOptions options, LmmTelemetry telemetry, ILogger logger, TimeProvider? timeProvider = null)
        : base(innerClient)
    {
        _provider = provider;
        _pipeline = new ResiliencePipelineBuilder<ChatResponse> { TimeProvider = timeProvider ?? TimeProvider.System }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<ChatResponse>
            {
                FailureRatio = options.FailureRatio,
                SamplingDuration = options.SamplingDuration,
                MinimumThroughput = options.MinimumThroughput,
                BreakDuration = options.BreakDuration,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is LmmProviderException { IsTransient: true }),
                OnOpened = args =>
                {
                    telemetry.CircuitBreaks.Add(1, new KeyValuePair<string, object?>("provider", provider));
                    logger.LogError(
                        "LMM circuit opened: provider {Provider}, break {BreakSeconds} s, status {Status}: {Reason}",
                        provider, args.BreakDuration.TotalSeconds, (args.Outcome.Exception as LmmProviderException)?.StatusCode, args.Outcome.Exception?.Message);
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
            })
            .Build();
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await ExecuteThrough(_pipeline, messages, options, cancellationToken);
        }
        catch (BrokenCircuitException e)
        {
            throw new LmmCircuitOpenException(_provider, e.RetryAfter, e);
        }
    }

}
