using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace G3.Diversification.Tests.Stubs;

/// <summary>Protocol-correct answers and faults for <see cref="StubLmmServer"/> handlers.</summary>
internal static class StubReplies
{
    /// <summary>An OpenAI chat.completion (openai-openapi.json CreateChatCompletionResponse) with one choice per text.</summary>
    public static Task OpenAIChoices(HttpContext context, string model, params string[] texts) =>
        Json(context, 200, new
        {
            id = "chatcmpl-stub",
            @object = "chat.completion",
            created = 1_700_000_000,
            model,
            choices = texts.Select((t, i) => new { index = i, message = new { role = "assistant", content = t, refusal = (string?)null }, logprobs = (object?)null, finish_reason = "stop" }),
            usage = new { prompt_tokens = 85, completion_tokens = 12 * texts.Length, total_tokens = 85 + 12 * texts.Length },
        });

    /// <summary>An Ollama /api/chat non-streaming answer.</summary>
    public static Task OllamaMessage(HttpContext context, string model, string text) =>
        Json(context, 200, new
        {
            model,
            created_at = "2023-12-12T14:13:43.416799Z",
            message = new { role = "assistant", content = text },
            done_reason = "stop",
            done = true,
            total_duration = 5191566416,
            prompt_eval_count = 26,
            eval_count = 298,
        });

    /// <summary>An error in the OpenAI error shape, optionally with Retry-After.</summary>
    public static Task Error(HttpContext context, int status, string message, string? retryAfter = null)
    {
        if (retryAfter is not null)
            context.Response.Headers.RetryAfter = retryAfter;
        return Json(context, status, new { error = new { message, type = "stub_error", param = (string?)null, code = (string?)null } });
    }

    /// <summary>An error in Ollama's shape ({"error": "..."}).</summary>
    public static Task OllamaError(HttpContext context, int status, string message, string? retryAfter = null)
    {
        if (retryAfter is not null)
            context.Response.Headers.RetryAfter = retryAfter;
        return Json(context, status, new { error = message });
    }

    public static async Task Raw(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    /// <summary>Drops the connection without an answer (the client sees a reset / premature end).</summary>
    public static Task Abort(HttpContext context)
    {
        context.Abort();
        return Task.CompletedTask;
    }

    /// <summary>Waits (until the client gives up, or the delay ends) before answering.</summary>
    public static async Task Slow(HttpContext context, TimeSpan delay, Func<HttpContext, Task> then)
    {
        try
        {
            await Task.Delay(delay, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        await then(context);
    }

    private static Task Json(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
