using System.Text.Json;
using Microsoft.Extensions.AI;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace G3.Diversification.Providers;

/// <summary>
/// Every choice of a chat completion, read from its JSON. The SDK's ChatCompletion surfaces only the first choice (its
/// Choices list is internal), so with <c>n</c> &gt; 1 the serialized completion is the only way to see the others.
/// </summary>
internal static class OpenAIResponseReader
{
    public static List<AIChatMessage> Choices(BinaryData completionJson)
    {
        using var document = JsonDocument.Parse(completionJson);
        if (!document.RootElement.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
            throw new JsonException("the chat completion has no \"choices\" array");

        var ordered = choices.EnumerateArray()
            .Select((choice, position) => (choice, index: choice.TryGetProperty("index", out var i) && i.TryGetInt32(out var k) ? k : position))
            .OrderBy(c => c.index);
        var messages = new List<AIChatMessage>();
        foreach (var (choice, index) in ordered)
        {
            var text = choice.TryGetProperty("message", out var message) && message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String
                ? content.GetString()!
                : "";
            var answer = new AIChatMessage(ChatRole.Assistant, text) { AdditionalProperties = new() { ["choice_index"] = index } };
            if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
                answer.AdditionalProperties["finish_reason"] = finish.GetString();
            messages.Add(answer);
        }
        return messages;
    }
}
