using G3.Alignment.Store.Qdrant;
using G3.Alignment.Tests.Store.Qdrant.Fakes;
using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using static G3.Alignment.Tests.Store.Qdrant.QdrantTestKit;

namespace G3.Alignment.Tests.Store.Qdrant;

/// <summary>The store's behaviour against the in-memory fake (no spec, no server needed).</summary>
public class QdrantReferenceStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Search_returns_the_most_similar_first_with_ids_positions_and_places_round_tripped()
    {
        var server = new FakeQdrantServer();
        var store = NewStore(server);
        await store.UpsertAsync(Axes(), None);

        var hits = await store.SearchAsync(Unit(0.9f, 0.4f, 0.1f, 0), 3, None);

        Assert.Equal(["a1/b2/north.jpg", "a1/b2/east.jpg", "c3/d4/south.jpg"], hits.Select(h => h.Id));
        Assert.True(hits[0].Similarity > hits[1].Similarity && hits[1].Similarity > hits[2].Similarity);
        Assert.Equal(Unit(0.9f, 0.4f, 0.1f, 0)[0], hits[0].Similarity, 5);
        Assert.Equal(new GeoPoint(48.85, 2.35), hits[0].Point);
        Assert.Equal(new Place(City: "Paris", Country: "France", Continent: "Europe"), hits[0].Place);
        Assert.Equal(new Place(Neighbourhood: "The Rocks", City: "Sydney", State: "New South Wales", Country: "Australia"), hits[1].Place);
        Assert.Null(hits[2].Place);
    }

    [Fact]
    public async Task Least_similar_search_sends_the_negated_query_and_returns_true_similarities_least_first()
    {
        var server = new FakeQdrantServer();
        var store = NewStore(server);
        await store.UpsertAsync(Axes(), None);
        var query = Unit(0.9f, 0.4f, -0.2f, -0.5f);

        var hits = await store.SearchLeastSimilarAsync(query, 2, None);

        Assert.Equal(["c3/d4/west.jpg", "c3/d4/south.jpg"], hits.Select(h => h.Id));
        Assert.Equal(query[3], hits[0].Similarity, 5);
        Assert.Equal(query[2], hits[1].Similarity, 5);
        var sent = FakeQdrantServer.BodyOf(server.Requests.Last()).GetProperty("query").GetProperty("nearest")
            .EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(query.Select(x => -x), sent);
    }

    [Fact]
    public async Task Least_similar_search_also_holds_under_cosine_distance()
    {
        var server = new FakeQdrantServer();
        var store = NewStore(server, Options() with { Distance = QdrantDistance.Cosine });
        // Unnormalised vectors: cosine normalises them, the order is by angle.
        await store.UpsertAsync(
        [
            new("near", [2, 0, 0, 0], new GeoPoint(1, 1)),
            new("side", [0, 5, 0, 0], new GeoPoint(2, 2)),
            new("far", [-3, 0, 0, 0], new GeoPoint(3, 3)),
        ], None);

        var hits = await store.SearchLeastSimilarAsync(new float[] { 1, 0, 0, 0 }, 3, None);

        Assert.Equal(["far", "side", "near"], hits.Select(h => h.Id));
        Assert.Equal([-1.0, 0.0, 1.0], hits.Select(h => Math.Round(h.Similarity, 5)));
    }

    [Fact]
    public async Task Batch_search_sends_one_request_and_keeps_the_query_order()
    {
        var server = new FakeQdrantServer();
        var store = NewStore(server);
        await store.UpsertAsync(Axes(), None);
        var before = server.Requests.Count;

        var results = await store.SearchBatchAsync([Unit(0, 0, 0, 1), Unit(0, 1, 0, 0)], 1, None);

        Assert.Equal(before + 1, server.Requests.Count);
        Assert.EndsWith("/points/query/batch", server.Requests.Last().Path, StringComparison.Ordinal);
        Assert.Equal("c3/d4/west.jpg", Assert.Single(results[0]).Id);
        Assert.Equal("a1/b2/east.jpg", Assert.Single(results[1]).Id);
    }

    [Fact]
    public async Task Upserts_go_in_batches_with_wait_and_name_based_ids_and_the_original_id_in_the_payload()
    {
        var server = new FakeQdrantServer();
        var store = NewStore(server, Options() with { UpsertBatchSize = 3 });
        var records = Enumerable.Range(0, 7)
            .Select(i => new ReferenceRecord($"x/{i}.jpg", Unit(1, i, 0, 0), new GeoPoint(i, -i))).ToList();

        await store.UpsertAsync(records, None);

        var upserts = server.Requests.Where(r => r.Method == HttpMethod.Put && r.Path.EndsWith("/points", StringComparison.Ordinal)).ToList();
        Assert.Equal([3, 3, 1], upserts.Select(u => FakeQdrantServer.BodyOf(u).GetProperty("points").GetArrayLength()));
        Assert.All(upserts, u => Assert.Equal("?wait=true", u.Uri.Query));
        var first = FakeQdrantServer.BodyOf(upserts[0]).GetProperty("points")[0];
        Assert.Equal(QdrantPointId.FromId("x/0.jpg"), first.GetProperty("id").GetString());
        Assert.Equal("x/0.jpg", first.GetProperty("payload").GetProperty("img_id").GetString());
        Assert.Equal(7, await store.CountAsync(None));

        // Same ids again: overwritten, not duplicated.
        await store.UpsertAsync(records, None);
        Assert.Equal(7, await store.CountAsync(None));
    }

    [Fact]
    public async Task Count_asks_for_an_exact_count()
    {
        var server = new FakeQdrantServer();
        var store = NewStore(server);
        await store.UpsertAsync(Axes(), None);

        Assert.Equal(4, await store.CountAsync(None));
        var body = FakeQdrantServer.BodyOf(server.Requests.Last());
        Assert.True(body.GetProperty("exact").GetBoolean());
    }

    [Fact]
    public async Task FindExisting_returns_the_stored_ids_among_those_asked()
    {
        var server = new FakeQdrantServer();
        var store = NewStore(server);
        await store.UpsertAsync(Axes(), None);

        var existing = await store.FindExistingAsync(["a1/b2/north.jpg", "missing.jpg", "c3/d4/west.jpg", "a1/b2/north.jpg"], None);

        Assert.Equal(["a1/b2/north.jpg", "c3/d4/west.jpg"], existing.Order(StringComparer.Ordinal));
        Assert.Empty(await store.FindExistingAsync(["missing.jpg"], None));
        Assert.Empty(await store.FindExistingAsync([], None));
    }

    [Fact]
    public async Task Delete_returns_how_many_existed_and_removes_them()
    {
        var server = new FakeQdrantServer();
        var store = NewStore(server);
        await store.UpsertAsync(Axes(), None);

        var deleted = await store.DeleteAsync(["a1/b2/north.jpg", "missing.jpg", "c3/d4/west.jpg", "a1/b2/north.jpg"], None);

        Assert.Equal(2, deleted);
        Assert.Equal(2, await store.CountAsync(None));
        Assert.Equal(0, await store.DeleteAsync(["missing.jpg"], None));
        // Nothing existed the second time: looked up, but no delete sent.
        var deletes = server.Requests.Where(r => r.Path.EndsWith("/points/delete", StringComparison.Ordinal)).ToList();
        var sentIds = FakeQdrantServer.BodyOf(Assert.Single(deletes)).GetProperty("points").EnumerateArray().Select(p => p.GetString());
        Assert.Equal(3, sentIds.Count()); // duplicates collapsed, the missing id included harmlessly
    }

    [Fact]
    public async Task The_api_key_header_is_sent_on_every_request_only_when_configured()
    {
        var withKey = new FakeQdrantServer();
        await NewStore(withKey, Options() with { ApiKey = "k-123" }).UpsertAsync(Axes(), None);
        Assert.NotEmpty(withKey.Requests);
        Assert.All(withKey.Requests, r => Assert.Equal("k-123", r.Headers["api-key"]));

        var without = new FakeQdrantServer();
        await NewStore(without).UpsertAsync(Axes(), None);
        Assert.All(without.Requests, r => Assert.False(r.Headers.ContainsKey("api-key")));
    }

    [Fact]
    public async Task Bad_vectors_and_k_are_refused_before_any_request()
    {
        var server = new FakeQdrantServer();
        var store = NewStore(server);

        var wrongSize = await Assert.ThrowsAsync<ArgumentException>(() => store.SearchAsync(new float[3], 1, None));
        Assert.Contains("3 dimensions", wrongSize.Message, StringComparison.Ordinal);
        Assert.Contains("4-dimensional", wrongSize.Message, StringComparison.Ordinal);
        var nan = await Assert.ThrowsAsync<ArgumentException>(() =>
            store.UpsertAsync([new ReferenceRecord("x", [0, float.NaN, 0, 0], new GeoPoint(0, 0))], None));
        Assert.Contains("finite", nan.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.SearchAsync(new float[4], -1, None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteAsync([""], None));
        Assert.Empty(server.Requests);

        Assert.Empty(await store.SearchAsync(new float[4], 0, None));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_point_without_this_stores_payload_is_a_protocol_error_naming_the_field()
    {
        var server = new FakeQdrantServer
        {
            Intercept = (r, _) => Task.FromResult(r.Path.EndsWith("/points/query", StringComparison.Ordinal)
                ? FakeQdrantServer.Json(System.Net.HttpStatusCode.OK,
                    """{"result":{"points":[{"id":1,"version":0,"score":0.5,"payload":{"city":"Rome"}}]},"status":"ok","time":0.1}""")
                : null),
        };
        var store = NewStore(server);

        var e = await Assert.ThrowsAsync<QdrantProtocolException>(() => store.SearchAsync(Unit(1, 0, 0, 0), 1, None));
        Assert.Contains("img_id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Collection_names_are_escaped_into_the_path()
    {
        var server = new FakeQdrantServer();
        var store = NewStore(server, Options() with { Collection = "g3.mp16-pro_v1" });
        await store.UpsertAsync(Axes(), None);
        Assert.All(server.Requests, r => Assert.StartsWith("/collections/g3.mp16-pro_v1", r.Path, StringComparison.Ordinal));
    }
}
