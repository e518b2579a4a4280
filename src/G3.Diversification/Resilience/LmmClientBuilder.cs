using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace G3.Diversification.Resilience;

/// <summary>
/// The one place the LMM decorators are composed. A request passes, outermost first:
/// <code>
///   concurrency limit        (shared by all providers; held for the whole request)
///   → fallback chain         (primary, then each configured fallback's provider pipeline)
///     → circuit breaker      (per provider; counts calls that still failed after retries; open = fail fast)
///       → retry              (transient failures; exponential back-off + jitter, or the server's Retry-After)
///         → hedging          (optional; a parallel attempt after a delay)
///           → timeout        (per attempt)
///             → metering     (per attempt: count + duration)
///               → raw client (OpenAI SDK / Ollama HTTP)
/// </code>
/// Why this order: the limiter bounds real load including back-off and fallback time; the fallback sits outside the
/// breakers so an open circuit hands over instantly; the breaker sits outside retry so a burst of retried 429s counts as
/// one failed call, not several; the timeout is per attempt so a retry gets a fresh budget.
/// </summary>
public sealed class LmmClientBuilder(LmmTelemetry telemetry, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
{
    private readonly ILoggerFactory _loggers = loggerFactory ?? NullLoggerFactory.Instance;
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>One provider's own pipeline: circuit breaker → retry → hedging → timeout → metering → <paramref name="raw"/>.</summary>
    public IChatClient BuildProviderPipeline(string provider, LmmResilienceOptions options, IChatClient raw)
    {
        IChatClient client = new MeteredChatClient(raw, provider, telemetry);
        client = new TimeoutChatClient(client, provider, options.Timeout, _time);
        if (options.Hedging.Enabled)
            client = new HedgingChatClient(client, provider, options.Hedging, _loggers.CreateLogger<HedgingChatClient>(), _time);
        if (options.Retry.MaxRetries > 0)
            client = new RetryingChatClient(client, provider, options.Retry, telemetry, _loggers.CreateLogger<RetryingChatClient>(), _time);
        if (options.CircuitBreaker.Enabled)
            client = new CircuitBreakerChatClient(client, provider, options.CircuitBreaker, telemetry, _loggers.CreateLogger<CircuitBreakerChatClient>(), _time);
        return client;
    }

    /// <summary>
    /// What a request calls: limiter → fallback chain over provider pipelines (from <see cref="BuildProviderPipeline"/>;
    /// they must not contain the limiter, or a chain would take two slots and could deadlock at a limit of 1).
    /// </summary>
    public IChatClient BuildRequestPipeline(IReadOnlyList<(string Name, IChatClient ProviderPipeline)> chain, LmmConcurrencyLimiter limiter)
    {
        IChatClient client = chain.Count == 1 ? chain[0].ProviderPipeline : new FallbackChatClient(chain, telemetry, _loggers.CreateLogger<FallbackChatClient>());
        return new ConcurrencyLimitingChatClient(client, limiter);
    }
}
