using Microsoft.Extensions.AI;

namespace G3.Diversification.Providers;

/// <summary>Adds the configured <c>keep_alive</c> to every request, in the ChatOptions key ("keep_alive") OllamaSharp maps onto the wire.</summary>
internal sealed class OllamaKeepAliveChatClient(IChatClient inner, string keepAlive) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, With(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, With(options), cancellationToken);

    private ChatOptions With(ChatOptions? options)
    {
        var copy = options?.Clone() ?? new ChatOptions();
        (copy.AdditionalProperties ??= [])["keep_alive"] = keepAlive;
        return copy;
    }
}
