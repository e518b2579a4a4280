using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace G3.Retrieval.Tests.Qdrant.Fake;

/// <summary>
/// A fake Qdrant that speaks gRPC over HTTP/2 on a loopback port, hosted by ASP.NET Core's Kestrel
/// inside the test process, so the store's calls go through the real QdrantClient, channel and wire
/// format. Cleartext by default (h2c, as Qdrant's plain gRPC port); TLS when given a certificate.
/// Knobs for errors: a required API key, queued faults (a status returned instead of an answer)
/// and a delay before every answer. It can also go away and come back on the same port with its data
/// (<see cref="StopAsync"/>, <see cref="StartAgainAsync"/>), or be created down (<see cref="Reserve"/>), as a
/// real server restarting or starting after its clients.
/// </summary>
internal sealed class FakeQdrantServer : IAsyncDisposable
{
    private readonly X509Certificate2? _certificate;
    private WebApplication? _app;
    private readonly ConcurrentQueue<StatusCode> _faults = new();

    public FakeQdrantIndex Index { get; } = new();

    /// <summary>Every call as received, in order: the method ("Points/Upsert") and its request.</summary>
    public ConcurrentQueue<(string Method, IMessage Request)> Calls { get; } = new();

    /// <summary>When set, calls without this <c>api-key</c> header are refused with Unauthenticated.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Waited before answering each call (a slow server, for deadlines).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>The address to give the store: http(s)://127.0.0.1:port.</summary>
    public Uri Address { get; private set; } = null!;

    private FakeQdrantServer(X509Certificate2? certificate) => _certificate = certificate;

    /// <summary>True between a start and a stop.</summary>
    public bool IsUp => _app is not null;

    public static async Task<FakeQdrantServer> StartAsync(string? apiKey = null, X509Certificate2? certificate = null)
    {
        var server = new FakeQdrantServer(certificate) { ApiKey = apiKey };
        await server.ListenAsync(0);
        return server;
    }

    /// <summary>A server that is down: its address (a loopback port just released) is known, nothing listens until <see cref="StartAgainAsync"/>.</summary>
    public static FakeQdrantServer Reserve()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new FakeQdrantServer(null) { Address = new Uri($"http://127.0.0.1:{port}") };
    }

    /// <summary>Goes away: the port is closed and open connections are dropped; the data stays for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_app is not { } app) return;
        _app = null;
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>Comes (back) up on the same address, with the same collections and points.</summary>
    public Task StartAgainAsync() => IsUp ? Task.CompletedTask : ListenAsync(Address.Port);

    private async Task ListenAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (_certificate is not null) listen.UseHttps(_certificate);
        }));
        builder.Services.AddGrpc(o => o.EnableDetailedErrors = true);
        builder.Services.AddSingleton(this);
        builder.Services.AddSingleton<IServiceMethodProvider<FakeQdrantService>, FakeQdrantMethods>();
        var app = builder.Build();
        app.MapGrpcService<FakeQdrantService>();
        await app.StartAsync();
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        _app = app;
    }

    /// <summary>The next calls fail with these statuses, one each, before the index is touched.</summary>
    public void FailNext(params StatusCode[] statuses)
    {
        foreach (var status in statuses) _faults.Enqueue(status);
    }

    public int CallCount(string method) => Calls.Count(c => c.Method == method);

    internal async Task GateAsync(string method, IMessage request, ServerCallContext context)
    {
        Calls.Enqueue((method, request));
        if (ApiKey is not null && context.RequestHeaders.GetValue("api-key") != ApiKey)
            throw new RpcException(new Status(StatusCode.Unauthenticated, "Must provide an API key or an Authorization bearer token"));
        if (Delay > TimeSpan.Zero) await Task.Delay(Delay, context.CancellationToken);
        if (_faults.TryDequeue(out var fault))
            throw new RpcException(new Status(fault, $"injected {fault}"));
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
