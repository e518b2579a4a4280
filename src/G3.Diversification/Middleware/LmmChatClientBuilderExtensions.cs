using G3.Diversification.Resilience;
using Microsoft.Extensions.AI;
using Polly;

namespace G3.Diversification.Middleware;

/// <summary>
/// One <c>UseXxx</c> per piece of LMM middleware, as Microsoft.Extensions.AI offers <c>UseLogging</c> and
/// <c>UseOpenTelemetry</c>: <see cref="LmmClientBuilder"/> composes them in one place.
/// </summary>
public static class LmmChatClientBuilderExtensions
{
    /// <summary>Runs each call through the provider's Polly pipeline (breaker, retry, hedging, deadline-aware timeout).</summary>
    public static ChatClientBuilder UseLmmResilience(this ChatClientBuilder builder, string provider, ResiliencePipeline<ChatResponse> pipeline, LmmTelemetry telemetry) =>
        builder.Use(inner => new ResilientChatClient(inner, provider, pipeline, telemetry));

    /// <summary>Holds one slot of the shared limiter per call that reaches the server (an attempt, not a request).</summary>
    public static ChatClientBuilder UseConcurrencyLimit(this ChatClientBuilder builder, LmmConcurrencyLimiter limiter) =>
        builder.Use(inner => new ConcurrencyLimitingChatClient(inner, limiter));

    /// <summary>Waits for the provider's rate limits (one request permit, and the call's estimated tokens) before each call.</summary>
    public static ChatClientBuilder UseRateLimit(this ChatClientBuilder builder, LmmRateLimiter? limiter, Tokens.TokenEstimator estimator) =>
        limiter is null ? builder : builder.Use(inner => new RateLimitingChatClient(inner, limiter, estimator));

    /// <summary>Gives images without a detail hint the request's default detail.</summary>
    public static ChatClientBuilder UseImageDetail(this ChatClientBuilder builder) =>
        builder.Use(inner => new ImageDetailChatClient(inner));

    /// <summary>Maps SDK failures onto <see cref="Providers.LmmProviderException"/> and stamps who answered.</summary>
    public static ChatClientBuilder UseProviderErrors(this ChatClientBuilder builder, string provider, string model) =>
        builder.Use(inner => new ProviderErrorChatClient(inner, provider, model));
}
