using Microsoft.Extensions.AI;

namespace G3.Diversification.Resilience;

/// <summary>Holds a slot of the shared <see cref="LmmConcurrencyLimiter"/> for the duration of each call.</summary>
public sealed class ConcurrencyLimitingChatClient(IChatClient innerClient, LmmConcurrencyLimiter limiter) : ResilienceDecorator(innerClient)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var slot = await limiter.AcquireAsync(cancellationToken);
        return await base.GetResponseAsync(messages, options, cancellationToken);
    }
}
