using G3.Core.Geo;
using G3.Retrieval.Qdrant;
using G3.Retrieval.Tests.Qdrant.Fake;
using GeoPoint = G3.Core.Geo.GeoPoint;
using G3.Core.Ports;
using Qdrant.Client.Grpc;
using static G3.Retrieval.Tests.Qdrant.QdrantTestKit;

namespace G3.Retrieval.Tests.Qdrant;

/// <summary>Every call the Qdrant store makes, through the real QdrantClient over gRPC to the in-process fake.</summary>
public class QdrantReferenceStoreTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task The_collection_is_created_with_dot_distance_and_the_configured_shape_and_payload_indexes()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var store = NewStore(server, Options(server, 8) with
        {
            OnDiskVectors = true,
            OnDiskPayload = true,
            PayloadIndexes = ["country", "lat"],
            Quantization = QdrantQuantization.Scalar,
            HnswM = 32,
            ShardNumber = 3,
            ReplicationFactor = 2,
        });
        await store.EnsureCollectionAsync(Ct);
        await store.EnsureCollectionAsync(Ct); // remembered: no second round of calls

        var (definition, indexes, count) = server.Index.Describe(Collection)!.Value;
        Assert.Equal(0, count);
        var vectors = definition.VectorsConfig.Params;
        Assert.Equal(8UL, vectors.Size);
        Assert.Equal(Distance.Dot, vectors.Distance);
        Assert.Equal(Memory.Cold, vectors.Memory);
        Assert.Equal(Memory.Cold, definition.Payload.Memory);
        Assert.Equal(QuantizationType.Int8, definition.QuantizationConfig.Scalar.Type);
        Assert.Equal(32UL, definition.HnswConfig.M);
        Assert.Equal(3U, definition.ShardNumber);
        Assert.Equal(2U, definition.ReplicationFactor);
        Assert.Equal(["country", "lat"], indexes.Order());
        Assert.Equal(1, server.CallCount("Collections/Create"));
        var country = server.Calls.Select(c => c.Request).OfType<CreateFieldIndexCollection>().Single(r => r.FieldName == "country");
        Assert.Equal(FieldType.Keyword, country.FieldType);
    }

    [Fact]
    public async Task Upserts_wait_use_deterministic_ids_and_are_idempotent()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var store = NewStore(server, Options(server) with { UpsertBatchSize = 3 });
        await store.UpsertAsync(Axes(), Ct);
        await store.UpsertAsync(Axes(), Ct);

        Assert.Equal(4, await store.CountAsync(Ct));
        var upserts = server.Calls.Select(c => c.Request).OfType<UpsertPoints>().ToList();
        Assert.Equal(4, upserts.Count); // 3 + 1, twice
        Assert.All(upserts, u => Assert.True(u.Wait));
        Assert.Equal(Axes().Select(r => QdrantPointId.FromId(r.Id)), upserts.Take(2).SelectMany(u => u.Points).Select(p => p.Id.Uuid));
    }

    [Fact]
    public async Task Search_is_exact_by_default_and_matches_brute_force_with_payloads_back()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var store = NewStore(server, Options(server, 16) with { UpsertBatchSize = 64 });
        var random = new Random(11);
        var records = Enumerable.Range(0, 300)
            .Select(i => new ReferenceRecord($"p/{i}.jpg", RandomUnit(random, 16), new GeoPoint(-60 + i * 0.4, -170 + i), new G3.Core.Candidates.Place(Country: $"C{i % 9}")))
            .ToList();
        await store.UpsertAsync(records, Ct);

        for (var q = 0; q < 5; q++)
        {
            var query = RandomUnit(random, 16);
            var hits = await store.SearchAsync(query, 10, Ct);
            Assert.Equal(BruteForce(records, query, 10), hits.Select(h => h.Id));
            var best = records.Single(r => r.Id == hits[0].Id);
            Assert.Equal(best.Vector.Zip(query, (a, b) => (double)a * b).Sum(), hits[0].Similarity, 5);
            Assert.Equal(best.Point, hits[0].Point);
            Assert.Equal(best.Place, hits[0].Place);
        }
        var queries = server.Calls.Select(c => c.Request).OfType<QueryPoints>().ToList();
        Assert.Equal(5, queries.Count);
        Assert.All(queries, r => Assert.True(r.Params.Exact));
        Assert.All(queries, r => Assert.False(r.Params.HasHnswEf));
    }

    [Fact]
    public async Task Least_similar_queries_the_negated_vector_and_reports_true_similarities()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var store = NewStore(server, Options(server, 16));
        var random = new Random(5);
        var records = Enumerable.Range(0, 120).Select(i => new ReferenceRecord($"r{i}", RandomUnit(random, 16), new GeoPoint(0, i))).ToList();
        await store.UpsertAsync(records, Ct);
        var query = RandomUnit(random, 16);

        var least = await store.SearchLeastSimilarAsync(query, 7, Ct);
        Assert.Equal(BruteForce(records, query, 7, least: true), least.Select(h => h.Id));
        Assert.True(least[0].Similarity < 0);
        Assert.True(least.Zip(least.Skip(1)).All(p => p.First.Similarity <= p.Second.Similarity), "least similar first");
        var sent = server.Calls.Select(c => c.Request).OfType<QueryPoints>().Single();
        Assert.Equal(query.Select(x => -x), sent.Query.Nearest.Dense.Data);
    }

    [Fact]
    public async Task Neighbours_take_one_batch_round_trip_and_equal_the_two_separate_searches()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var store = NewStore(server, Options(server, 16));
        var random = new Random(9);
        var records = Enumerable.Range(0, 150).Select(i => new ReferenceRecord($"n{i}", RandomUnit(random, 16), new GeoPoint(i * 0.5, 0))).ToList();
        await store.UpsertAsync(records, Ct);
        var query = RandomUnit(random, 16);
        var queriesBefore = server.CallCount("Points/Query");

        var both = await store.SearchNeighboursAsync(query, 15, 5, Ct);

        Assert.Equal(1, server.CallCount("Points/QueryBatch"));
        Assert.Equal(queriesBefore, server.CallCount("Points/Query"));
        Assert.Equal(BruteForce(records, query, 15), both.Similar.Select(h => h.Id));
        Assert.Equal(BruteForce(records, query, 5, least: true), both.Dissimilar.Select(h => h.Id));
    }

    [Fact]
    public async Task A_batch_of_queries_is_one_round_trip_answered_in_order()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var store = NewStore(server, Options(server, 16));
        var random = new Random(3);
        var records = Enumerable.Range(0, 80).Select(i => new ReferenceRecord($"b{i}", RandomUnit(random, 16), new GeoPoint(0, i))).ToList();
        await store.UpsertAsync(records, Ct);
        var queries = Enumerable.Range(0, 6).Select(_ => RandomUnit(random, 16)).ToList();

        var answers = await store.SearchBatchAsync(queries.Select(q => (ReadOnlyMemory<float>)q).ToList(), 4, Ct);

        Assert.Equal(1, server.CallCount("Points/QueryBatch"));
        Assert.Equal(queries.Select(q => BruteForce(records, q, 4)), answers.Select(a => a.Select(h => h.Id).ToList()));
    }

    [Fact]
    public async Task Hnsw_ef_and_int8_rescoring_reach_every_query_when_configured()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var store = NewStore(server, Options(server) with
        {
            ExactSearch = false,
            HnswEf = 256,
            Quantization = QdrantQuantization.Scalar,
            QuantizationOversampling = 2.5,
        });
        await store.UpsertAsync(Axes(), Ct);
        await store.SearchNeighboursAsync(Unit(1, 0.1f, 0, 0), 2, 1, Ct);

        var batch = server.Calls.Select(c => c.Request).OfType<QueryBatchPoints>().Single();
        Assert.All(batch.QueryPoints, q =>
        {
            Assert.False(q.Params.Exact);
            Assert.Equal(256UL, q.Params.HnswEf);
            Assert.True(q.Params.Quantization.Rescore);
            Assert.Equal(2.5, q.Params.Quantization.Oversampling);
        });
    }

    [Fact]
    public async Task Find_existing_and_delete_count_only_what_is_stored()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var store = NewStore(server, Options(server) with { UpsertBatchSize = 2 });
        await store.UpsertAsync(Axes(), Ct);
        var ids = Axes().Select(r => r.Id).ToList();

        var existing = await store.FindExistingAsync([ids[0], "missing.jpg", ids[3], ids[0]], Ct);
        Assert.Equal([ids[0], ids[3]], existing.Order(StringComparer.Ordinal));
        Assert.Equal(2, await store.DeleteAsync([ids[1], "missing.jpg", ids[2]], Ct));
        Assert.Equal(0, await store.DeleteAsync([ids[1]], Ct));
        Assert.Equal(2, await store.CountAsync(Ct));
        Assert.All(server.Calls.Select(c => c.Request).OfType<DeletePoints>(), d => Assert.True(d.Wait));
        Assert.All(server.Calls.Select(c => c.Request).OfType<GetPoints>(), g => Assert.False(g.WithPayload?.Enable ?? false));
    }

    [Fact]
    public async Task Bad_input_is_refused_before_any_call()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var store = NewStore(server);
        await Assert.ThrowsAsync<ArgumentException>(() => store.SearchAsync(new float[3], 1, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertAsync([new ReferenceRecord("x", [float.NaN, 0, 0, 0], new GeoPoint(0, 0))], Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.SearchNeighboursAsync(new float[4], -1, 1, Ct));
        Assert.Empty(server.Calls);
    }
}
