using G3.Diversification.Middleware;
using G3.Diversification.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly.CircuitBreaker;

namespace G3.Diversification.Resilience;

/// <summary>
/// The one place the LMM middleware (Middleware/, one <c>UseXxx</c> each) is composed, with Microsoft.Extensions.AI's
/// <see cref="ChatClientBuilder"/>. One provider's pipeline, outermost first:
/// <code>
///   ConfigureOptions     (M.E.AI; pins this provider's own model id)
///   → logging            (M.E.AI UseLogging)
///   → resilience         (UseLmmResilience: circuit breaker → retry → hedging → deadline-aware timeout; meters each attempt)
///     → rate limit       (UseRateLimit; this provider's requests and tokens per minute, when configured; one permit per attempt)
///     → concurrency limit (UseConcurrencyLimit; shared by all providers; one slot per HTTP call, released between retries)
///     → OpenTelemetry    (M.E.AI UseOpenTelemetry; one GenAI span + metrics per attempt)
///     → image detail     (UseImageDetail; the prompt settings' default detail on images without one)
///     → provider errors  (UseProviderErrors; SDK exceptions → LmmProviderException; stamps provider and model)
///       → raw client     (the provider kind's SDK client: OpenAI via M.E.AI.OpenAI, AzureOpenAIClient, OllamaSharp)
/// </code>
/// The limiter sits inside the retry so it counts real HTTP calls: a back-off does not hold a slot, and no chain can
/// deadlock on it (each call takes one slot and gives it back). The rate limit sits inside the retry too, since the provider counts
/// every attempt: a retry after a 429 waits for its own permit (a run without one measured a cascade of 429s, bench/README.md),
/// and it comes before the concurrency slot, so a call waiting for a permit holds no slot. Like a wait for a slot, a wait for a
/// permit counts against the attempt's timeout. Fallback chains are not built here: the candidate
/// generator runs a chain itself, building each provider's own request (see Generation/ProviderChain).
/// </summary>
public sealed class LmmClientBuilder(LmmTelemetry telemetry, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
{
    /// <summary>The ActivitySource / Meter name M.E.AI's OpenTelemetry client reports under (GenAI semantic conventions).</summary>
    public const string TelemetrySourceName = "G3.Diversification.GenAI";

    private readonly ILoggerFactory _loggers = loggerFactory ?? NullLoggerFactory.Instance;
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>One provider's own pipeline over <paramref name="raw"/>.</summary>
    /// <param name="circuit">Receives the provider's breaker state (an open circuit is an outage).</param>
    /// <param name="rateLimiter">The provider's rate limits; null: none.</param>
    /// <param name="tokens">How the provider counts a call's tokens (for a tokens-per-minute limit).</param>
    public IChatClient BuildProviderPipeline(string provider, string model, LmmResilienceOptions options, LmmConcurrencyLimiter limiter, IChatClient raw,
        CircuitBreakerStateProvider? circuit = null, LmmRateLimiter? rateLimiter = null, Tokens.TokenEstimator? tokens = null)
    {
        if (rateLimiter is { LimitsTokens: true } && tokens is null)
            throw new ArgumentException("a tokens-per-minute limit needs the provider's token estimator", nameof(tokens));
        var pipeline = LmmResiliencePipeline.Build(provider, options, telemetry, _loggers.CreateLogger<ResilientChatClient>(), _time, circuit);
        return new ChatClientBuilder(raw)
            .ConfigureOptions(o => o.ModelId = model)
            .UseLogging(_loggers)
            .UseLmmResilience(provider, pipeline, telemetry)
            .UseRateLimit(rateLimiter, tokens!)
            .UseConcurrencyLimit(limiter)
            .UseOpenTelemetry(_loggers, TelemetrySourceName)
            .UseImageDetail()
            .UseProviderErrors(provider, model)
            .Build();
    }

    /// <summary>A plain sequential chain (follow-up questions: text only, so every provider takes the same request).</summary>
    public IChatClient BuildChain(IReadOnlyList<(string Name, IChatClient ProviderPipeline)> chain) =>
        chain.Count == 1 ? chain[0].ProviderPipeline : new FallbackChatClient(chain, telemetry, _loggers.CreateLogger<FallbackChatClient>());
}
