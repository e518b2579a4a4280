using System.Net;
using G3.Alignment.Store.Qdrant;
using G3.Alignment.Tests.Store.Qdrant.Fakes;
using static G3.Alignment.Tests.Store.Qdrant.QdrantTestKit;

namespace G3.Alignment.Tests.Store.Qdrant;

/// <summary>Faults injected in front of the fake: what is retried, what is not, and what the caller sees.</summary>
public class QdrantResilienceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static bool IsCount(RecordedRequest r) => r.Path.EndsWith("/points/count", StringComparison.Ordinal);

    /// <summary>A server whose count endpoint answers with <paramref name="fault"/> for its first <paramref name="times"/> calls.</summary>
    private static (FakeQdrantServer Server, Func<int> Calls) FailingCount(int times, Func<CancellationToken, Task<HttpResponseMessage>> fault)
    {
        var server = new FakeQdrantServer();
        server.AddCollection(Collection, 4, "Dot");
        var calls = 0;
        server.Intercept = async (r, ct) =>
        {
            if (!IsCount(r)) return null;
            return Interlocked.Increment(ref calls) <= times ? await fault(ct) : null;
        };
        return (server, () => calls);
    }

    private static Func<CancellationToken, Task<HttpResponseMessage>> Status(HttpStatusCode status, string body = "") =>
        _ => Task.FromResult(FakeQdrantServer.Json(status, body.Length == 0 ? FakeQdrantServer.Error("simulated " + (int)status) : body));

    [Fact]
    public async Task A_timed_out_attempt_is_retried_and_the_call_succeeds()
    {
        var (server, calls) = FailingCount(1, async ct =>
        {
            await Task.Delay(Timeout.Infinite, ct); // hangs until the per-request timeout cancels it
            throw new InvalidOperationException("unreachable");
        });
        var store = NewStore(server, Options() with { RequestTimeout = TimeSpan.FromMilliseconds(50) });

        Assert.Equal(0, await store.CountAsync(None));
        Assert.Equal(2, calls());
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task Transient_statuses_are_retried(HttpStatusCode status)
    {
        var (server, calls) = FailingCount(2, Status(status));
        Assert.Equal(0, await NewStore(server).CountAsync(None));
        Assert.Equal(3, calls());
    }

    [Fact]
    public async Task A_server_that_stays_503_gives_a_typed_unavailable_error_after_every_retry()
    {
        var (server, calls) = FailingCount(int.MaxValue, Status(HttpStatusCode.ServiceUnavailable));
        var store = NewStore(server, Options() with { RetryCount = 2 });

        var e = await Assert.ThrowsAsync<QdrantUnavailableException>(() => store.CountAsync(None));

        Assert.Equal(3, calls());
        Assert.Equal(3, e.Attempts);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.StatusCode);
        Assert.Contains("503", e.Message, StringComparison.Ordinal);
        Assert.Contains("3 attempts", e.Message, StringComparison.Ordinal);
        Assert.Contains("simulated 503", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_gives_a_typed_unavailable_error_naming_the_url_setting()
    {
        var (server, calls) = FailingCount(int.MaxValue, _ => throw new HttpRequestException("Connection refused (qdrant.test:6333)"));

        var e = await Assert.ThrowsAsync<QdrantUnavailableException>(() => NewStore(server).CountAsync(None));

        Assert.Equal(4, calls());
        Assert.IsType<HttpRequestException>(e.InnerException);
        Assert.Contains("Connection refused", e.Message, StringComparison.Ordinal);
        Assert.Contains("Store:Qdrant:Url", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_400_is_not_retried_and_carries_qdrants_explanation()
    {
        var (server, calls) = FailingCount(int.MaxValue, Status(HttpStatusCode.BadRequest,
            FakeQdrantServer.Error("Wrong input: Vector dimension error: expected dim: 4, got 3")));

        var e = await Assert.ThrowsAsync<QdrantStoreException>(() => NewStore(server).CountAsync(None));

        Assert.Equal(1, calls());
        Assert.IsType<QdrantStoreException>(e);
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Contains("expected dim: 4, got 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_401_points_at_the_api_key_setting()
    {
        var (server, calls) = FailingCount(int.MaxValue, Status(HttpStatusCode.Unauthorized, "Must provide an API key"));

        var e = await Assert.ThrowsAsync<QdrantStoreException>(() => NewStore(server).CountAsync(None));

        Assert.Equal(1, calls());
        Assert.Contains("G3_Store__Qdrant__ApiKey", e.Message, StringComparison.Ordinal);
        Assert.Contains("Must provide an API key", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<html><body>502 Bad Gateway</body></html>", "not JSON")]
    [InlineData("""{"status":"ok","time":0.1}""", "no 'result'")]
    [InlineData("""{"result":{"total":3},"status":"ok"}""", "result.count is missing")]
    [InlineData("""{"result":{"count":"three"},"status":"ok"}""", "result.count is String")]
    [InlineData("""[1,2,3]""", "no 'result'")]
    public async Task A_garbage_answer_is_a_typed_protocol_error_saying_what_is_wrong(string body, string problem)
    {
        var (server, _) = FailingCount(int.MaxValue, Status(HttpStatusCode.OK, body));

        var e = await Assert.ThrowsAsync<QdrantProtocolException>(() => NewStore(server).CountAsync(None));

        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.Contains("count of 'refs'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"result":{"points":[{"id":1,"version":0}]},"status":"ok"}""", "score is missing")]
    [InlineData("""{"result":{"points":null},"status":"ok"}""", "result.points is Null")]
    [InlineData("""{"result":{"points":[{"id":1,"version":0,"score":1,"payload":{"img_id":"x","lat":91,"lon":0}}]}}""", "invalid position")]
    [InlineData("""{"result":{"points":[{"id":1,"version":0,"score":1,"payload":null}]}}""", "no payload")]
    public async Task A_malformed_query_answer_is_a_typed_protocol_error(string body, string problem)
    {
        var server = new FakeQdrantServer();
        server.AddCollection(Collection, 4, "Dot");
        server.Intercept = (r, _) => Task.FromResult(r.Path.EndsWith("/points/query", StringComparison.Ordinal)
            ? FakeQdrantServer.Json(HttpStatusCode.OK, body) : null);

        var e = await Assert.ThrowsAsync<QdrantProtocolException>(() => NewStore(server).SearchAsync(Unit(1, 0, 0, 0), 2, None));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_retried_nor_wrapped()
    {
        using var cts = new CancellationTokenSource();
        var (server, calls) = FailingCount(int.MaxValue, async ct =>
        {
            await cts.CancelAsync();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });
        var store = NewStore(server);
        await store.EnsureCollectionAsync(None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.CountAsync(cts.Token));
        Assert.Equal(1, calls());
    }

    [Fact]
    public async Task A_failed_collection_check_is_tried_again_on_the_next_call()
    {
        var server = new FakeQdrantServer();
        server.AddCollection(Collection, 4, "Dot");
        var down = true;
        server.Intercept = (_, _) => Task.FromResult(down ? FakeQdrantServer.Json(HttpStatusCode.ServiceUnavailable, "") : null);
        var store = NewStore(server, Options() with { RetryCount = 0 });

        await Assert.ThrowsAsync<QdrantUnavailableException>(() => store.CountAsync(None));
        down = false;
        Assert.Equal(0, await store.CountAsync(None));
    }
}
