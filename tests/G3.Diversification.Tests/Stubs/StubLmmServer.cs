using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace G3.Diversification.Tests.Stubs;

/// <summary>A request as the stub saw it.</summary>
internal sealed record StubRequest(int Number, string Method, string Path, string? Authorization, JsonElement Body, TimeSpan ArrivedAt, string Query = "", string? ApiKeyHeader = null);

/// <summary>
/// An in-process HTTP server on 127.0.0.1 (Kestrel, port 0) that speaks an LMM protocol as scripted by the test, so
/// the real OpenAI SDK and the real HttpClient run over real sockets. It records every request (body, arrival time)
/// and the most requests it ever had in flight at once.
/// </summary>
internal sealed class StubLmmServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<StubRequest> _requests = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _count;
    private int _inFlight;
    private int _maxInFlight;

    private StubLmmServer(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;

    public IReadOnlyList<StubRequest> Requests => [.. _requests.OrderBy(r => r.Number)];

    public int MaxConcurrentRequests => Volatile.Read(ref _maxInFlight);

    /// <param name="handler">Answers request number n (1-based) given its parsed body.</param>
    public static async Task<StubLmmServer> StartAsync(Func<HttpContext, StubRequest, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new StubLmmServer(app);
        app.Run(context => server.HandleAsync(context, handler));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context, Func<HttpContext, StubRequest, Task> handler)
    {
        var now = Interlocked.Increment(ref _inFlight);
        for (var seen = Volatile.Read(ref _maxInFlight); now > seen; seen = Volatile.Read(ref _maxInFlight))
            if (Interlocked.CompareExchange(ref _maxInFlight, now, seen) == seen)
                break;
        try
        {
            var arrived = _clock.Elapsed;
            using var reader = new StreamReader(context.Request.Body);
            var text = await reader.ReadToEndAsync();
            var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
            var request = new StubRequest(Interlocked.Increment(ref _count), context.Request.Method, context.Request.Path.Value ?? "", context.Request.Headers.Authorization.FirstOrDefault(), body, arrived,
                context.Request.QueryString.Value ?? "", context.Request.Headers["api-key"].FirstOrDefault());
            _requests.Enqueue(request);
            await handler(context, request);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
