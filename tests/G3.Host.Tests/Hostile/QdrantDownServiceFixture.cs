using G3.Host.Tests.Outages;
using G3.Retrieval.Tests.Qdrant.Fake;

namespace G3.Host.Tests.Hostile;

/// <summary>
/// The hostile suite's service (<see cref="KestrelServiceFixture.SuiteSettings"/>) with its store on the fake Qdrant,
/// started while Qdrant is up and indexed, then with Qdrant stopped: readiness has dropped when the tests run.
/// </summary>
public sealed class QdrantDownServiceFixture : IAsyncLifetime, IDisposable
{
    private readonly ServiceFixture _files = new();
    private FakeQdrantServer? _qdrant;
    private OutageServiceHost? _host;

    public async Task InitializeAsync()
    {
        _qdrant = await FakeQdrantServer.StartAsync();
        await OutageServiceHost.SeedAsync(_files, _qdrant);
        _host = await OutageServiceHost.StartAsync(_files, _qdrant.Address, KestrelServiceFixture.SuiteSettings);
        await _host.ReadyzUntilAsync(b => b.GetProperty("ready").GetBoolean());
        await _qdrant.StopAsync();
        await _host.ReadyzUntilAsync(b => b.TryGetProperty("waiting", out _));
    }

    /// <summary>A client that sends the key.</summary>
    public HttpClient Client()
    {
        var client = _host!.Client();
        client.DefaultRequestHeaders.Authorization = new("Bearer", KestrelServiceFixture.Key);
        return client;
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        if (_qdrant is not null) await _qdrant.DisposeAsync();
    }

    public void Dispose() => _files.Dispose();
}
