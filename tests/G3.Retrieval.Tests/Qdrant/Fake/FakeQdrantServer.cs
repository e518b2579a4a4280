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
/// and a delay before every answer.
/// </summary>
internal sealed class FakeQdrantServer : IAsyncDisposable
{
    private readonly WebApplication _app;
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

    private FakeQdrantServer(X509Certificate2? certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (certificate is not null) listen.UseHttps(certificate);
        }));
        builder.Services.AddGrpc(o => o.EnableDetailedErrors = true);
        builder.Services.AddSingleton(this);
        builder.Services.AddSingleton<IServiceMethodProvider<FakeQdrantService>, FakeQdrantMethods>();
        _app = builder.Build();
        _app.MapGrpcService<FakeQdrantService>();
    }

    public static async Task<FakeQdrantServer> StartAsync(string? apiKey = null, X509Certificate2? certificate = null)
    {
        var server = new FakeQdrantServer(certificate) { ApiKey = apiKey };
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Address = new Uri(address);
        return server;
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

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
