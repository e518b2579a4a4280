using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace G3.Host.Tests.Caching;

/// <summary>
/// An OpenAI-compatible LMM on a loopback port that counts what it is asked. A geolocation request (the G3 prompts) is
/// counted by its messages (prompt and photos) with the samples it asks for (n); a follow-up (the chat prompt, which
/// opens with a system message holding the G3 result) is counted apart. Every geolocation answer is a coordinate near Paris.
/// </summary>
internal sealed class CountingLmmStub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Messages, int Samples)> _geolocations = new();
    private int _followUps;

    private CountingLmmStub(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Each geolocation request: the hash of its messages and how many samples (n) it asked for.</summary>
    public IReadOnlyList<(string Messages, int Samples)> Geolocations => [.. _geolocations];

    public int FollowUps => Volatile.Read(ref _followUps);

    public static async Task<CountingLmmStub> StartAsync(TimeSpan latency = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var stub = new CountingLmmStub(app);
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var messages = body.RootElement.GetProperty("messages");
            // The follow-up prompt opens with a system message holding the G3 result; the geolocation prompts with the user's photo.
            var followUp = messages[0].GetProperty("role").GetString() == "system";
            var n = body.RootElement.TryGetProperty("n", out var nValue) ? nValue.GetInt32() : 1;
            if (followUp) Interlocked.Increment(ref stub._followUps);
            else stub._geolocations.Enqueue((Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(messages.GetRawText()))), n));
            if (latency > TimeSpan.Zero) await Task.Delay(latency);
            var text = followUp ? "From the G3 result: France." : "{\"latitude\": 48.85, \"longitude\": 2.35}";
            return Results.Json(new
            {
                id = "stub", @object = "chat.completion", created = 1, model = "stub",
                choices = Enumerable.Range(0, followUp ? 1 : n).Select(i => new { index = i, message = new { role = "assistant", content = text }, finish_reason = "stop" }),
                usage = new { prompt_tokens = 10, completion_tokens = 5, total_tokens = 15 },
            });
        });
        await app.StartAsync();
        stub.Endpoint = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1");
        return stub;
    }

    /// <summary>The settings that make a G3 host use this stub as its only LMM, without retries.</summary>
    public string[] Settings() =>
    [
        "--Lmm:Default=stub",
        "--Lmm:Providers:stub:Kind=openai",
        "--Lmm:Providers:stub:Model=stub",
        "--Lmm:Providers:stub:ApiKey=k",
        $"--Lmm:Providers:stub:Endpoint={Endpoint}",
        "--Lmm:Providers:stub:Resilience:Retry:MaxRetries=0",
    ];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
