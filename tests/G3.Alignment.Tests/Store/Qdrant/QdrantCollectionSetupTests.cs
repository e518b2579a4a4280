using G3.Alignment.Store.Qdrant;
using G3.Alignment.Tests.Store.Qdrant.Fakes;
using static G3.Alignment.Tests.Store.Qdrant.QdrantTestKit;

namespace G3.Alignment.Tests.Store.Qdrant;

public class QdrantCollectionSetupTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_missing_collection_is_created_with_the_configured_size_distance_and_settings_once()
    {
        var server = new FakeQdrantServer();
        var store = NewStore(server, Options(8) with { OnDiskVectors = true, HnswM = 32, ShardNumber = 2, ReplicationFactor = 2 });

        await store.EnsureCollectionAsync(None);
        await store.CountAsync(None);
        await store.EnsureCollectionAsync(None);

        var put = Assert.Single(server.Requests, r => r.Method == HttpMethod.Put);
        Assert.Equal("/collections/refs", put.Path);
        var body = FakeQdrantServer.BodyOf(put);
        Assert.Equal(8, body.GetProperty("vectors").GetProperty("size").GetInt32());
        Assert.Equal("Dot", body.GetProperty("vectors").GetProperty("distance").GetString());
        Assert.True(body.GetProperty("vectors").GetProperty("on_disk").GetBoolean());
        Assert.Equal(32, body.GetProperty("hnsw_config").GetProperty("m").GetInt32());
        Assert.Equal(2, body.GetProperty("shard_number").GetInt32());
        Assert.Equal(2, body.GetProperty("replication_factor").GetInt32());
        Assert.Single(server.Requests, r => r.Method == HttpMethod.Get);
    }

    [Fact]
    public async Task A_matching_collection_is_used_as_is()
    {
        var server = new FakeQdrantServer();
        server.AddCollection(Collection, 4, "Dot");

        Assert.Equal(0, await NewStore(server).CountAsync(None));
        Assert.DoesNotContain(server.Requests, r => r.Method == HttpMethod.Put);
    }

    [Theory]
    [InlineData(8, "Dot", "size 8 with Dot")]
    [InlineData(4, "Euclid", "size 4 with Euclid")]
    public async Task A_mismatched_collection_is_refused_naming_both_configurations(int size, string distance, string existing)
    {
        var server = new FakeQdrantServer();
        server.AddCollection(Collection, size, distance);
        var store = NewStore(server);

        var e = await Assert.ThrowsAsync<QdrantCollectionMismatchException>(() => store.SearchAsync(Unit(1, 0, 0, 0), 1, None));
        Assert.Contains(existing, e.Message, StringComparison.Ordinal);
        Assert.Contains("size 4 with Dot", e.Message, StringComparison.Ordinal);
        Assert.Contains("'refs'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Requests, r => r.Method == HttpMethod.Put || r.Path.EndsWith("/query", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_collection_with_named_vectors_is_refused()
    {
        var server = new FakeQdrantServer
        {
            NamedVectorsOverride = new() { ["image"] = new System.Text.Json.Nodes.JsonObject { ["size"] = 4, ["distance"] = "Dot" } },
        };
        server.AddCollection(Collection, 4, "Dot");

        var e = await Assert.ThrowsAsync<QdrantCollectionMismatchException>(() => NewStore(server).CountAsync(None));
        Assert.Contains("named vectors (image)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_collection_created_meanwhile_by_someone_else_is_verified_not_an_error()
    {
        var server = new FakeQdrantServer();
        var gets = 0;
        server.Intercept = (r, _) =>
        {
            // The first lookup sees no collection; by the time we create it, another instance has.
            if (r.Method == HttpMethod.Get && gets++ == 0)
            {
                server.AddCollection(Collection, 4, "Dot");
                return Task.FromResult<HttpResponseMessage?>(FakeQdrantServer.Json(System.Net.HttpStatusCode.NotFound, FakeQdrantServer.Error("Not found")));
            }
            return Task.FromResult<HttpResponseMessage?>(null);
        };

        await NewStore(server).EnsureCollectionAsync(None);

        Assert.Equal(["GET", "PUT", "GET"], server.Requests.Select(r => r.Method.Method));
    }

    [Fact]
    public async Task Drop_removes_the_collection_and_the_next_use_recreates_it()
    {
        var server = new FakeQdrantServer();
        var store = NewStore(server);
        await store.UpsertAsync(Axes(), None);

        Assert.True(await store.DropCollectionAsync(None));
        Assert.Equal(0, await store.CountAsync(None));
        Assert.Equal(2, server.Requests.Count(r => r.Method == HttpMethod.Put && r.Path == "/collections/refs"));
    }
}
