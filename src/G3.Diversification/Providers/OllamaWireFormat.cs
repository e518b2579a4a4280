using System.Text.Json;
using System.Text.Json.Serialization;

namespace G3.Diversification.Providers;

// Ollama's native /api/chat payloads (docs: ollama api.md, "Generate a chat completion"), only the fields we use.

internal sealed record OllamaChatRequest(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("messages")] IReadOnlyList<OllamaMessage> Messages,
    [property: JsonPropertyName("options")] OllamaModelOptions Options,
    [property: JsonPropertyName("keep_alive")] string? KeepAlive,
    [property: JsonPropertyName("stream")] bool Stream = false); // one JSON object back instead of a stream of deltas

internal sealed record OllamaMessage(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("content")] string Content,
    [property: JsonPropertyName("images")] IReadOnlyList<string>? Images = null);

/// <summary>Modelfile parameters; num_predict is Ollama's max tokens.</summary>
internal sealed record OllamaModelOptions(
    [property: JsonPropertyName("temperature")] float? Temperature,
    [property: JsonPropertyName("num_predict")] int NumPredict,
    [property: JsonPropertyName("seed")] long? Seed,
    [property: JsonPropertyName("top_p")] float? TopP,
    [property: JsonPropertyName("stop")] IReadOnlyList<string>? Stop);

internal sealed record OllamaChatResponse(
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("created_at")] DateTimeOffset? CreatedAt,
    [property: JsonPropertyName("message")] OllamaMessage? Message,
    [property: JsonPropertyName("done")] bool Done,
    [property: JsonPropertyName("done_reason")] string? DoneReason,
    [property: JsonPropertyName("prompt_eval_count")] long? PromptEvalCount,
    [property: JsonPropertyName("eval_count")] long? EvalCount);

internal static class OllamaJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
