using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace G3.Bench;

/// <summary>
/// An OpenAI chat-completions stub that enforces a requests-per-minute limit as a provider does: a call arriving when the
/// last 60 seconds already hold the limit's number of answered calls gets 429 with Retry-After (the seconds until the
/// oldest of them leaves the window). Refused calls do not count against the window.
/// </summary>
internal sealed class RateLimitStub : IAsyncDisposable
{
    private static readonly TimeSpan s_window = TimeSpan.FromMinutes(1);
    private readonly WebApplication _app;
    private readonly int _limit;
    private readonly Queue<long> _answered = new();
    private readonly Lock _gate = new();
    private readonly List<double> _refusedAt = [];
    private long _first;
    private int _ok, _refused;

    private RateLimitStub(WebApplication app, int limit)
    {
        _app = app;
        _limit = limit;
    }

    public Uri BaseUri => new(_app.Urls.First());
    public int Answered => Volatile.Read(ref _ok);
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>When each refusal came, in seconds after the first call arrived.</summary>
    public IReadOnlyList<double> RefusedAt { get { lock (_gate) return [.. _refusedAt]; } }

    public static async Task<RateLimitStub> StartAsync(int requestsPerMinute)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new RateLimitStub(app, requestsPerMinute);
        app.MapPost("/v1/chat/completions", stub.Answer);
        await app.StartAsync();
        return stub;
    }

    private IResult Answer(HttpContext context)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            if (_first == 0) _first = now;
            while (_answered.Count > 0 && Stopwatch.GetElapsedTime(_answered.Peek(), now) >= s_window)
                _answered.Dequeue();
            if (_answered.Count >= _limit)
            {
                _refused++;
                _refusedAt.Add(Math.Round(Stopwatch.GetElapsedTime(_first, now).TotalSeconds, 3));
                var wait = s_window - Stopwatch.GetElapsedTime(_answered.Peek(), now);
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.Json(new { error = new { message = "Rate limit reached for requests", type = "requests", param = (string?)null, code = "rate_limit_exceeded" } },
                    statusCode: StatusCodes.Status429TooManyRequests);
            }
            _answered.Enqueue(now);
            _ok++;
        }
        return Results.Json(new
        {
            id = "chatcmpl-stub", @object = "chat.completion", created = 1_700_000_000, model = "gpt-4o",
            choices = new[] { new { index = 0, message = new { role = "assistant", content = "{\"latitude\": 48.85, \"longitude\": 2.35}" }, finish_reason = "stop" } },
            usage = new { prompt_tokens = 100, completion_tokens = 15, total_tokens = 115 },
        });
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
