using G3.Retrieval.Qdrant;
using G3.Retrieval.Tests.Qdrant.Fake;
using Grpc.Core;
using static G3.Retrieval.Tests.Qdrant.QdrantTestKit;

namespace G3.Retrieval.Tests.Qdrant;

/// <summary>Qdrant going away and coming back: the circuit breaker fails calls at once, and the store recovers with its data.</summary>
public class QdrantOutageTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Once_the_circuit_opens_calls_fail_at_once_without_reaching_the_server()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        // A break far longer than the test, so the circuit is certainly still open for the second call.
        using var store = NewStore(server, Options(server) with
        {
            RetryCount = 3,
            CircuitBreaker = new QdrantCircuitBreakerOptions { MinimumThroughput = 2, FailureRatio = 1, BreakDuration = TimeSpan.FromMinutes(10) },
        });
        server.FailNext(StatusCode.Unavailable, StatusCode.Unavailable, StatusCode.Unavailable, StatusCode.Unavailable);
        var first = await Assert.ThrowsAsync<QdrantUnavailableException>(() => store.CountAsync(Ct));
        Assert.Equal(2, first.Attempts); // the breaker opened after two failed attempts and refused the third

        var calls = server.Calls.Count;
        var refused = await Assert.ThrowsAsync<QdrantUnavailableException>(() => store.CountAsync(Ct));
        Assert.Equal(calls, server.Calls.Count);
        Assert.Equal(0, refused.Attempts);
        Assert.NotNull(refused.RetryAfter);
        Assert.StartsWith($"Qdrant at {server.Address.ToString().TrimEnd('/')}", refused.Server, StringComparison.Ordinal);
        Assert.Contains("Store:Qdrant:CircuitBreaker", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_goes_away_is_unavailable_and_answers_again_with_its_points_after_a_restart()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var store = NewStore(server, Options(server) with
        {
            CircuitBreaker = new QdrantCircuitBreakerOptions { BreakDuration = TimeSpan.FromMilliseconds(500) },
        });
        await store.UpsertAsync(Axes(), Ct);

        await server.StopAsync();
        var down = await Assert.ThrowsAsync<QdrantUnavailableException>(() => store.ProbeAsync(Ct));
        Assert.Contains("Qdrant at", down.Message, StringComparison.Ordinal);

        await server.StartAgainAsync();
        long? count = null;
        for (var i = 0; i < 200 && count is null; i++)
        {
            try
            {
                count = await store.CountAsync(Ct);
            }
            catch (QdrantUnavailableException)
            {
                await Task.Delay(50); // the open circuit lets a call through once its break is over
            }
        }
        Assert.Equal(4, count);
        Assert.Equal("a1/b2/north.jpg", (await store.SearchAsync(Axes()[0].Vector, 1, Ct))[0].Id);
    }

    [Fact]
    public void Circuit_breaker_settings_out_of_Pollys_ranges_are_named_by_key()
    {
        var o = new QdrantStoreOptions
        {
            VectorSize = 4,
            CircuitBreaker = new QdrantCircuitBreakerOptions
            {
                FailureRatio = 0, SamplingDuration = TimeSpan.Zero, MinimumThroughput = 1, BreakDuration = TimeSpan.FromMilliseconds(10),
            },
        };
        Assert.Equal(
            ["Store:Qdrant:CircuitBreaker:FailureRatio", "Store:Qdrant:CircuitBreaker:SamplingDuration",
             "Store:Qdrant:CircuitBreaker:MinimumThroughput", "Store:Qdrant:CircuitBreaker:BreakDuration"],
            o.Validate().Select(e => e.Split(' ')[0]));
    }
}
