using G3.Diversification.Providers;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Resilience;

/// <summary>
/// Base of our decorators: streaming goes through the same (non-streaming) path so every concern applies to it
/// (see <see cref="BufferedStreaming"/>).
/// </summary>
public abstract class ResilienceDecorator(IChatClient innerClient) : DelegatingChatClient(innerClient)
{
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        BufferedStreaming.Stream(ct => GetResponseAsync(messages, options, ct), cancellationToken);
}
