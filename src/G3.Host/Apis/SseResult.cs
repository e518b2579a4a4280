using System.Text.Json;
using System.Text.Json.Nodes;

namespace G3.Host.Apis;

/// <summary>One item of a streamed answer: a progress event, or the final text with the full result.</summary>
internal sealed record StreamItem(JsonObject? Progress, string? Text, object? Result);

/// <summary>
/// Server-sent events in OpenAI's chat.completion.chunk format. Progress travels in an extra "g3" field
/// of chunks with an empty delta (clients that ignore it see only the answer); the answer is the content
/// delta; the last chunk has finish_reason "stop" and the full result; then "data: [DONE]".
/// </summary>
internal sealed class SseResult(string id, long created, string model, IAsyncEnumerable<StreamItem> items) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var ct = http.RequestAborted;
        await WriteAsync(http, Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "" }, null, null), ct);
        try
        {
            await foreach (var item in items.WithCancellation(ct))
            {
                if (item.Progress is not null)
                {
                    await WriteAsync(http, Chunk(new JsonObject(), null, item.Progress), ct);
                    continue;
                }
                await WriteAsync(http, Chunk(new JsonObject { ["content"] = item.Text }, null, null), ct);
                await WriteAsync(http, Chunk(new JsonObject(), "stop", JsonSerializer.SerializeToNode(item.Result, ApiJson.Options)), ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Headers are gone; report the failure as an error event in OpenAI's error shape, and log it.
            var known = e is G3.Core.Errors.G3Exception or G3.Core.Options.G3OptionsException;
            var log = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<SseResult>();
            if (known) log.LogWarning("Streamed answer failed: {Reason}", e.Message);
            else log.LogError(e, "Streamed answer failed");
            var error = new JsonObject { ["error"] = new JsonObject { ["message"] = known ? e.Message : "internal error; see the service log", ["type"] = "server_error" } };
            await http.Response.WriteAsync($"data: {error.ToJsonString()}\n\n", ct);
        }
        await http.Response.WriteAsync("data: [DONE]\n\n", ct);
    }

    private JsonObject Chunk(JsonObject delta, string? finish, JsonNode? g3)
    {
        var chunk = new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion.chunk",
            ["created"] = created,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finish }),
        };
        if (g3 is not null) chunk["g3"] = g3;
        return chunk;
    }

    private static async Task WriteAsync(HttpContext http, JsonObject chunk, CancellationToken ct)
    {
        await http.Response.WriteAsync($"data: {chunk.ToJsonString()}\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
    }
}
