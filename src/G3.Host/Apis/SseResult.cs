using System.Text.Json;
using System.Text.Json.Nodes;
using G3.Core.Usage;
using G3.Host.Contracts;

namespace G3.Host.Apis;

/// <summary>One item of a streamed answer: a progress event, or the final text with the full result and what the request's LMM calls cost.</summary>
internal sealed record StreamItem(JsonObject? Progress, string? Text, object? Result, TokenUsage? Usage);

/// <summary>
/// Server-sent events in OpenAI's chat.completion.chunk format. Progress travels in an extra "g3" field
/// of chunks with an empty delta (clients that ignore it see only the answer); the answer is the content
/// delta; the chunk with finish_reason "stop" carries the full result. With <paramref name="includeUsage"/> (OpenAI's
/// stream_options.include_usage) every chunk has "usage": null and one more chunk follows, with empty choices and the
/// request's usage, as OpenAI sends it. Then "data: [DONE]".
/// </summary>
internal sealed class SseResult(string id, long created, string model, IAsyncEnumerable<StreamItem> items, bool includeUsage = false) : IResult
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
                if (includeUsage)
                    await WriteAsync(http, UsageChunk(item.Usage ?? TokenUsage.Unknown), ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The 200 and its headers are gone: the failure travels as an error event in the non-streaming answer's shape
            // (OpenAI's error object, same message, type, param and code), plus the HTTP status that answer would have had.
            var log = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<SseResult>();
            var answer = ExceptionAnswers.From(e, log); // logs a 5xx with its exception
            var status = answer.StatusCode ?? StatusCodes.Status500InternalServerError;
            if (status < StatusCodes.Status500InternalServerError)
                log.LogWarning("Streamed answer failed with {Status}: {Reason}", status, e.Message);
            await http.Response.WriteAsync($"data: {ErrorEvent(answer.Value!, status).ToJsonString()}\n\n", ct);
        }
        await http.Response.WriteAsync("data: [DONE]\n\n", ct);
    }

    /// <summary>{"error": {"message", "type", "param", "code", "status"}}: the non-streaming error body with its status.</summary>
    internal static JsonObject ErrorEvent(ApiErrors.ErrorBody body, int status)
    {
        var node = JsonSerializer.SerializeToNode(body, ApiJson.Options)!.AsObject();
        node["error"]!.AsObject()["status"] = status;
        return node;
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
        if (includeUsage) chunk["usage"] = null;
        return chunk;
    }

    /// <summary>The last chunk OpenAI sends for include_usage: no choices, the whole request's usage.</summary>
    private JsonObject UsageChunk(TokenUsage usage) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion.chunk",
        ["created"] = created,
        ["model"] = model,
        ["choices"] = new JsonArray(),
        ["usage"] = UsageDto.OpenAI(usage),
    };

    private static async Task WriteAsync(HttpContext http, JsonObject chunk, CancellationToken ct)
    {
        await http.Response.WriteAsync($"data: {chunk.ToJsonString()}\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
    }
}
