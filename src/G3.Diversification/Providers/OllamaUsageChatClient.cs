using Microsoft.Extensions.AI;

namespace G3.Diversification.Providers;

/// <summary>
/// Keeps Ollama's missing token counts unknown. OllamaSharp reads an absent <c>eval_count</c> as 0, which would claim
/// a free answer; every answer Ollama generates has at least one output token, so an output count of 0 means the
/// server reported none, and the response's usage is dropped (unknown) rather than passed on as 0.
/// </summary>
internal sealed class OllamaUsageChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        if (response.Usage is { OutputTokenCount: null or 0 })
            response.Usage = null;
        return response;
    }
}
