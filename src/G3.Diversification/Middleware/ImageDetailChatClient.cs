using G3.Diversification.Providers;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Middleware;

/// <summary>
/// Applies the request's default image detail (<see cref="LmmCallSettings.ImageDetail"/>, from the prompt's
/// execution settings: G3 uses "low") to every image that carries no detail of its own, in the key
/// Microsoft.Extensions.AI.OpenAI maps onto OpenAI's <c>image_url.detail</c>. Servers without the notion ignore it.
/// </summary>
public sealed class ImageDetailChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(Apply(messages, options), options, cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(Apply(messages, options), options, cancellationToken);

    private static IEnumerable<ChatMessage> Apply(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        if (LmmCallSettings.Of(options).ImageDetail is not { } detail)
            return messages;
        // Copies, so the caller's messages (which may be replayed to a fallback provider) are left as they were.
        return messages.Select(m => m.Contents.Any(NeedsDetail)
            ? new ChatMessage(m.Role, [.. m.Contents.Select(c => NeedsDetail(c) ? WithDetail((DataContent)c, detail) : c)]) { AuthorName = m.AuthorName }
            : m).ToList();
    }

    private static bool NeedsDetail(AIContent content) =>
        content is DataContent data && data.HasTopLevelMediaType("image") && data.AdditionalProperties?.ContainsKey(ChatConventions.ImageDetail) != true;

    private static DataContent WithDetail(DataContent image, string detail)
    {
        var copy = new DataContent(image.Data, image.MediaType) { Name = image.Name, AdditionalProperties = image.AdditionalProperties is { } p ? new(p) : [] };
        copy.AdditionalProperties[ChatConventions.ImageDetail] = detail;
        return copy;
    }
}
