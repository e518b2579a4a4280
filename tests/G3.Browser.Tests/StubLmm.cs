using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace G3.Browser.Tests;

/// <summary>
/// An OpenAI-compatible chat endpoint in process, standing in for a multimodal model: geolocation prompts
/// get a short rationale followed by the JSON answer (one point per prompt, so the prompt variants land in
/// different places); follow-up questions (their prompt lists the result's candidates) get a fixed sentence.
/// </summary>
internal sealed class StubLmm : IAsyncDisposable
{
    public const string Rationale = "Red clay roofs, a Mediterranean light and a cathedral spire suggest southern Europe.";
    public const string FollowUpAnswer = "Spain is less likely: the verifier scores the answer above every Iberian candidate.";

    // The places a prompt may answer with; which one depends only on the prompt, so the same photo gets the same answer.
    private static readonly (double Lat, double Lon)[] Points = [(41.3874, 2.1686), (43.2965, 5.3698), (45.4642, 9.19), (38.7223, -9.1393)];

    private readonly WebApplication _app;

    private StubLmm(WebApplication app) => _app = app;

    public string Endpoint => _app.Urls.First() + "/v1";

    public static async Task<StubLmm> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", async (HttpContext ctx) =>
        {
            using var body = await JsonDocument.ParseAsync(ctx.Request.Body);
            var messages = body.RootElement.GetProperty("messages");
            var all = messages.ToString();
            var n = body.RootElement.TryGetProperty("n", out var nValue) && nValue.ValueKind == JsonValueKind.Number ? nValue.GetInt32() : 1;
            string[] texts;
            // The service's follow-up prompt hands the model the result to talk about ("verifier score" per candidate).
            if (all.Contains("verifier score", StringComparison.Ordinal))
            {
                texts = [FollowUpAnswer];
            }
            else
            {
                // The K prompts list different numbers of reference coordinates, so their lengths differ: the length picks the point.
                var point = Points[Math.Abs(all.Length) % Points.Length];
                texts = Enumerable.Range(0, Math.Max(1, n)).Select(i => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{Rationale}\n{{\"latitude\": {point.Lat + 0.05 * i}, \"longitude\": {point.Lon - 0.05 * i}}}")).ToArray();
            }
            return Results.Json(new
            {
                id = "stub",
                @object = "chat.completion",
                created = 1,
                model = "stub",
                choices = texts.Select((t, i) => new { index = i, message = new { role = "assistant", content = t }, finish_reason = "stop" }).ToArray(),
            });
        });
        await app.StartAsync();
        return new StubLmm(app);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
