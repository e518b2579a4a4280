using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace G3.Diversification.Tests.Stubs;

/// <summary>The tokens a stub reports for one answer: input (prompt) and output (completion).</summary>
internal readonly record struct StubUsage(int Input, int Output);

/// <summary>Protocol-correct answers and faults for <see cref="StubLmmServer"/> handlers.</summary>
internal static class StubReplies
{
    /// <summary>An OpenAI chat.completion (openai-openapi.json CreateChatCompletionResponse) with one choice per text.</summary>
    public static Task OpenAIChoices(HttpContext context, string model, params string[] texts) =>
        OpenAIChoices(context, model, new StubUsage(85, 12 * texts.Length), texts);

    /// <summary>
    /// As above, with the <c>usage</c> object (CompletionUsage: prompt, completion and total tokens) the real API and
    /// Azure OpenAI send; <paramref name="usage"/> null leaves it out, as some OpenAI-compatible servers do.
    /// </summary>
    public static Task OpenAIChoices(HttpContext context, string model, StubUsage? usage, params string[] texts)
    {
        var completion = new Dictionary<string, object?>
        {
            ["id"] = "chatcmpl-stub",
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = texts.Select((t, i) => new { index = i, message = new { role = "assistant", content = t, refusal = (string?)null }, logprobs = (object?)null, finish_reason = "stop" }),
        };
        if (usage is { } u)
            completion["usage"] = new { prompt_tokens = u.Input, completion_tokens = u.Output, total_tokens = u.Input + u.Output };
        return Json(context, 200, completion);
    }

    /// <summary>An Ollama /api/chat non-streaming answer.</summary>
    public static Task OllamaMessage(HttpContext context, string model, string text) => OllamaMessage(context, model, text, new StubUsage(26, 298));

    /// <summary>As above, reporting <paramref name="usage"/> as Ollama does (<c>prompt_eval_count</c>, <c>eval_count</c>); null leaves both out.</summary>
    public static Task OllamaMessage(HttpContext context, string model, string text, StubUsage? usage)
    {
        var answer = new Dictionary<string, object?>
        {
            ["model"] = model,
            ["created_at"] = "2023-12-12T14:13:43.416799Z",
            ["message"] = new { role = "assistant", content = text },
            ["done_reason"] = "stop",
            ["done"] = true,
            ["total_duration"] = 5191566416,
        };
        if (usage is { } u)
        {
            answer["prompt_eval_count"] = u.Input;
            answer["eval_count"] = u.Output;
        }
        return Json(context, 200, answer);
    }

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
