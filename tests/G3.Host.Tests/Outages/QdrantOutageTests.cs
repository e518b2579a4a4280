using System.Net;
using System.Text.Json;
using G3.Host.Tests.Hostile;
using G3.Retrieval.Qdrant;
using G3.Retrieval.Tests.Qdrant.Fake;

namespace G3.Host.Tests.Outages;

/// <summary>
/// The service and a Qdrant that comes and goes (the in-process fake, stopped and restarted on its port): the start
/// waits for it and turns ready by itself, an outage while running answers 503 with Retry-After and drops readiness,
/// and the service answers again when Qdrant is back, with nothing lost. What waiting cannot cure still fails at once.
/// </summary>
public class QdrantOutageTests(ServiceFixture files) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task A_service_started_before_Qdrant_waits_for_it_and_turns_ready_when_it_comes_up()
    {
        await using var qdrant = await FakeQdrantServer.StartAsync();
        await OutageServiceHost.SeedAsync(files, qdrant);
        await qdrant.StopAsync();
        await using var host = await OutageServiceHost.StartAsync(files, qdrant.Address);

        var waiting = await host.ReadyzUntilAsync(b => b.TryGetProperty("waiting", out _), AssertNotFailed);
        AssertWaitingForQdrant(waiting, qdrant);

        await qdrant.StartAgainAsync();
        var ready = await host.ReadyzUntilAsync(b => b.GetProperty("ready").GetBoolean(), AssertNotFailed);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.False(ready.TryGetProperty("waiting", out _));
        using var client = host.Client();
        using var answer = await GeolocateAsync(client);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    [Fact]
    public async Task Qdrant_going_away_gives_503_with_Retry_After_and_drops_readiness_then_the_service_answers_again_with_nothing_lost()
    {
        await using var qdrant = await FakeQdrantServer.StartAsync();
        var seeded = await OutageServiceHost.SeedAsync(files, qdrant);
        await using var host = await OutageServiceHost.StartAsync(files, qdrant.Address);
        await host.ReadyzUntilAsync(b => b.GetProperty("ready").GetBoolean(), AssertNotFailed);
        using var client = host.Client();
        using (var before = await GeolocateAsync(client)) Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        await qdrant.StopAsync();
        using (var during = await GeolocateAsync(client))
        {
            var body = await during.Content.ReadAsStringAsync();
            Assert.True(during.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)during.StatusCode}: {body}");
            Assert.True(during.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {during.Headers.RetryAfter}");
            HostileInputTests.AssertErrorShape(body, null, "geolocate while Qdrant is down");
            Assert.Equal("server_unavailable", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("code").GetString());
            Assert.DoesNotContain(qdrant.Address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), body, StringComparison.Ordinal);
        }
        var dropped = await host.ReadyzUntilAsync(b => !b.GetProperty("ready").GetBoolean(), AssertNotFailed);
        AssertWaitingForQdrant(dropped, qdrant);
        Assert.Equal("g3-test", dropped.GetProperty("model").GetString());
        var (status, _) = await host.ReadyzAsync();
        Assert.Equal(503, status);

        await qdrant.StartAgainAsync();
        await host.ReadyzUntilAsync(b => b.GetProperty("ready").GetBoolean(), AssertNotFailed);
        using (var after = await GeolocateAsync(client)) Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(seeded, qdrant.Index.Describe(OutageServiceHost.Collection)!.Value.Count);
    }

    [Fact]
    public async Task A_start_against_an_address_where_nothing_listens_keeps_retrying_and_never_fails()
    {
        var nowhere = FakeQdrantServer.Reserve(); // never started
        await using var host = await OutageServiceHost.StartAsync(files, nowhere.Address);
        var attempts = new HashSet<string>();
        await host.ReadyzUntilAsync(b =>
        {
            if (b.TryGetProperty("waiting", out var w)) attempts.Add(w.GetProperty("next_attempt").GetString()!);
            return attempts.Count >= 4; // the next attempt moved on three times: it is tried again and again
        }, (status, body) =>
        {
            AssertNotFailed(status, body);
            Assert.Equal(503, status);
        });
        AssertWaitingForQdrant((await host.ReadyzAsync()).Body, nowhere);
        using var client = host.Client();
        using var refused = await GeolocateAsync(client);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    [Fact]
    public async Task A_collection_of_another_dimension_fails_the_start_for_good_with_its_reason()
    {
        await using var qdrant = await FakeQdrantServer.StartAsync();
        using (var other = new QdrantReferenceStore(new QdrantStoreOptions
        {
            Url = qdrant.Address.ToString().TrimEnd('/'), Collection = OutageServiceHost.Collection, VectorSize = 3,
        }))
            await other.EnsureCollectionAsync(default);
        await using var host = await OutageServiceHost.StartAsync(files, qdrant.Address);

        var failed = await host.ReadyzUntilAsync(b => b.GetProperty("status").GetString() == "failed",
            (_, b) => Assert.False(b.TryGetProperty("waiting", out var w), $"waited for {w}: {b}"));
        var error = failed.GetProperty("error").GetString()!;
        Assert.Contains("size 3", error, StringComparison.Ordinal);
        Assert.Contains($"'{OutageServiceHost.Collection}'", error, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> GeolocateAsync(HttpClient client)
    {
        var json = $$$"""{"image":"{{{HostileCases.SmallJpegBase64}}}","g3":{"retrieved_candidates":3}}""";
        return client.PostAsync(new Uri(HostileCases.Geolocate, UriKind.Relative), new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
    }

    private static void AssertNotFailed(int status, JsonElement body) =>
        Assert.True(body.GetProperty("status").GetString() != "failed", $"/readyz failed ({status}): {body}");

    private static void AssertWaitingForQdrant(JsonElement body, FakeQdrantServer qdrant)
    {
        Assert.False(body.GetProperty("ready").GetBoolean());
        var waiting = body.GetProperty("waiting");
        var server = waiting.GetProperty("for").GetString()!;
        Assert.StartsWith("Qdrant at http://127.0.0.1:" + qdrant.Address.Port, server, StringComparison.Ordinal);
        Assert.Equal("waiting for " + server, body.GetProperty("status").GetString());
        Assert.True(DateTimeOffset.TryParse(waiting.GetProperty("since").GetString(), System.Globalization.CultureInfo.InvariantCulture, out var since));
        Assert.True(DateTimeOffset.TryParse(waiting.GetProperty("next_attempt").GetString(), System.Globalization.CultureInfo.InvariantCulture, out var next));
        Assert.True(next >= since, $"next attempt {next} before {since}");
        Assert.False(string.IsNullOrWhiteSpace(waiting.GetProperty("last_failure").GetString()));
    }
}
