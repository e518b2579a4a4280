using G3.Diversification.Providers;
using G3.Diversification.Resilience;
using G3.Diversification.Tokens;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Middleware;

/// <summary>
/// Waits for the provider's rate limits (<see cref="LmmRateLimiter"/>) before a call: one request permit, and, under a
/// tokens-per-minute limit, the call's estimated tokens (<see cref="TokenEstimator"/>).
/// </summary>
public sealed class RateLimitingChatClient(IChatClient innerClient, LmmRateLimiter limiter, TokenEstimator estimator) : DelegatingChatClient(innerClient)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        var tokens = limiter.LimitsTokens ? estimator.Estimate(list, options).Budgeted : 0;
        await limiter.AcquireAsync(tokens, cancellationToken).ConfigureAwait(false);
        return await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        BufferedStreaming.Stream(ct => GetResponseAsync(messages, options, ct), cancellationToken);
}
