using Microsoft.Extensions.AI;
using OpenAI.Chat;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using SdkChatMessage = OpenAI.Chat.ChatMessage;

namespace G3.Diversification.Providers;

/// <summary>Maps M.E.AI messages (text, image bytes, image URLs) onto the OpenAI SDK's message types.</summary>
internal static class OpenAIMessageMapper
{
    public static List<SdkChatMessage> ToSdk(IEnumerable<AIChatMessage> messages, string defaultDetail)
    {
        var result = new List<SdkChatMessage>();
        foreach (var message in messages)
        {
            var parts = message.Contents.Select(c => ToPart(c, defaultDetail)).Where(p => p is not null).Cast<ChatMessageContentPart>().ToList();
            if (message.Role == ChatRole.System)
                result.Add(new SystemChatMessage(RequireTextOnly(parts, "system")));
            else if (message.Role == ChatRole.User)
                result.Add(new UserChatMessage(parts));
            else if (message.Role == ChatRole.Assistant)
                result.Add(new AssistantChatMessage(RequireTextOnly(parts, "assistant")));
            else
                throw new ArgumentException($"Chat role '{message.Role}' is not supported by the LMM providers; use system, user or assistant.", nameof(messages));
        }
        if (result.Count == 0)
            throw new ArgumentException("At least one chat message is required.", nameof(messages));
        return result;
    }

    private static ChatMessageContentPart? ToPart(AIContent content, string defaultDetail) => content switch
    {
        TextContent text => ChatMessageContentPart.CreateTextPart(text.Text),
        DataContent data when data.HasTopLevelMediaType("image") =>
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(data.Data), data.MediaType, new ChatImageDetailLevel(ChatOptionsReader.ImageDetail(data, defaultDetail))),
        UriContent uri when uri.HasTopLevelMediaType("image") =>
            ChatMessageContentPart.CreateImagePart(uri.Uri, new ChatImageDetailLevel(ChatOptionsReader.ImageDetail(uri, defaultDetail))),
        DataContent or UriContent => throw new ArgumentException($"Only image attachments are supported (got a {MediaTypeOf(content)} attachment)."),
        _ => null, // reasoning, usage and other annotations are not part of a request
    };

    private static string MediaTypeOf(AIContent content) => content switch
    {
        DataContent d => d.MediaType,
        UriContent u => u.MediaType,
        _ => content.GetType().Name,
    };

    private static ChatMessageContentPart[] RequireTextOnly(List<ChatMessageContentPart> parts, string role) =>
        parts.All(p => p.Kind == ChatMessageContentPartKind.Text)
            ? [.. parts]
            : throw new ArgumentException($"Images are only supported in user messages, not in {role} messages.");
}
