using G3.Retrieval.Tests.Qdrant.Fake;

namespace G3.Host.Tests.Outages;

/// <summary>
/// An LMM provider the configuration makes required (Dependencies:RequiredProviders) is waited for like Qdrant: while
/// it cannot be reached the service is not ready and says so, without failing; a name that is no provider is a
/// settings error and fails the start at once.
/// </summary>
public class RequiredProviderTests(ServiceFixture files) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task A_required_provider_that_cannot_be_reached_is_waited_for_and_never_fails_the_start()
    {
        var nowhere = FakeQdrantServer.Reserve().Address; // a loopback port where nothing listens
        await using var host = await OutageServiceHost.StartEmbeddedAsync(files,
            "--Lmm:Providers:local:Kind=openai-compatible",
            $"--Lmm:Providers:local:Endpoint={nowhere}v1",
            "--Lmm:Providers:local:Model=llava",
            "--Lmm:Providers:local:Resilience:Retry:MaxRetries=0",
            "--Dependencies:RequiredProviders:0=local");
        var attempts = new HashSet<string>();
        var last = await host.ReadyzUntilAsync(b =>
        {
            if (b.TryGetProperty("waiting", out var w)) attempts.Add(w.GetProperty("next_attempt").GetString()!);
            return attempts.Count >= 3;
        }, (status, body) =>
        {
            Assert.Equal(503, status);
            Assert.NotEqual("failed", body.GetProperty("status").GetString());
        });
        Assert.Equal("LMM provider 'local'", last.GetProperty("waiting").GetProperty("for").GetString());
        Assert.Equal("waiting for LMM provider 'local'", last.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_required_provider_that_is_not_configured_fails_the_start_with_the_setting()
    {
        await using var host = await OutageServiceHost.StartEmbeddedAsync(files, "--Dependencies:RequiredProviders:0=nope");
        var failed = await host.ReadyzUntilAsync(b => b.GetProperty("status").GetString() == "failed");
        Assert.Contains("Dependencies:RequiredProviders names 'nope'", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
