using G3.Diversification.Providers;
using G3.Diversification.Resilience;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Middleware;

/// <summary>Holds a slot of the shared <see cref="LmmConcurrencyLimiter"/> for the duration of each call (fallbacks and back-off included).</summary>
public sealed class ConcurrencyLimitingChatClient(IChatClient innerClient, LmmConcurrencyLimiter limiter) : DelegatingChatClient(innerClient)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var slot = await limiter.AcquireAsync(cancellationToken);
        return await base.GetResponseAsync(messages, options, cancellationToken);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        BufferedStreaming.Stream(ct => GetResponseAsync(messages, options, ct), cancellationToken);
}
