using System.Text.Json;
using Microsoft.Extensions.AI;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace G3.Diversification.Providers;

/// <summary>
/// Reads every choice of a chat completion from the raw response body. The SDK's ChatCompletion surfaces only the
/// first choice (its Choices list is internal), so with <c>n</c> &gt; 1 the body is the only way to see the others.
/// </summary>
internal static class OpenAIResponseReader
{
    public static ChatResponse Read(string provider, BinaryData body, int requestedChoices)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw LmmProviderException.Malformed(provider, "the body is not JSON", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
                throw LmmProviderException.Malformed(provider, "no \"choices\" array");
            if (choices.GetArrayLength() == 0)
                throw EmptyChoices(provider);

            var ordered = choices.EnumerateArray()
                .Select((choice, position) => (choice, index: choice.TryGetProperty("index", out var i) && i.TryGetInt32(out var k) ? k : position))
                .OrderBy(c => c.index)
                .ToList();

            var messages = new List<AIChatMessage>(ordered.Count);
            ChatFinishReason? firstFinish = null;
            foreach (var (choice, index) in ordered)
            {
                if (!choice.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
                    throw LmmProviderException.Malformed(provider, $"choice {index} has no \"message\" object");
                var text = message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String ? content.GetString()! : "";
                var finish = choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String ? ToFinishReason(f.GetString()!) : (ChatFinishReason?)null;
                firstFinish ??= finish;

                var chatMessage = new AIChatMessage(ChatRole.Assistant, text) { AdditionalProperties = [] };
                chatMessage.AdditionalProperties["choice_index"] = index;
                if (finish is { } reason)
                    chatMessage.AdditionalProperties["finish_reason"] = reason.Value;
                if (message.TryGetProperty("refusal", out var refusal) && refusal.ValueKind == JsonValueKind.String)
                    chatMessage.AdditionalProperties["refusal"] = refusal.GetString();
                messages.Add(chatMessage);
            }

            var response = new ChatResponse(messages)
            {
                ResponseId = StringOrNull(root, "id"),
                ModelId = StringOrNull(root, "model"),
                FinishReason = firstFinish,
                Usage = ReadUsage(root),
                AdditionalProperties = new()
                {
                    [LmmResponseProperties.Provider] = provider,
                    [LmmResponseProperties.RequestedChoices] = requestedChoices,
                },
            };
            if (root.TryGetProperty("created", out var created) && created.TryGetInt64(out var unix))
                response.CreatedAt = DateTimeOffset.FromUnixTimeSeconds(unix);
            return response;
        }
    }

    /// <summary>
    /// A 200 with zero choices is a server-side anomaly (overload shedding, a proxy dropping the body), not a property
    /// of the request, so it is transient: the retry layer tries again within its budget.
    /// </summary>
    public static LmmProviderException EmptyChoices(string provider) =>
        new(provider, $"LMM provider '{provider}' answered with no choices", statusCode: null, isTransient: true);

    /// <summary>The server's own error text from an OpenAI error body ({"error":{"message":...}}), if there is one.</summary>
    public static string? ErrorMessage(BinaryData? body)
    {
        if (body is null || body.ToMemory().IsEmpty)
            return null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String)
                    return error.GetString();
                if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                    return m.GetString();
            }
            return null;
        }
        catch (JsonException)
        {
            return body.ToString();
        }
    }

    private static ChatFinishReason ToFinishReason(string value) => value switch
    {
        "stop" => ChatFinishReason.Stop,
        "length" => ChatFinishReason.Length,
        "content_filter" => ChatFinishReason.ContentFilter,
        "tool_calls" or "function_call" => ChatFinishReason.ToolCalls,
        _ => new ChatFinishReason(value),
    };

    private static UsageDetails? ReadUsage(JsonElement root)
    {
        if (!root.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object)
            return null;
        return new UsageDetails
        {
            InputTokenCount = Int64OrNull(usage, "prompt_tokens"),
            OutputTokenCount = Int64OrNull(usage, "completion_tokens"),
            TotalTokenCount = Int64OrNull(usage, "total_tokens"),
        };
    }

    private static string? StringOrNull(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Int64OrNull(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.TryGetInt64(out var l) ? l : null;
}
