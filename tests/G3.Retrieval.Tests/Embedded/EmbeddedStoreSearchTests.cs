using G3.Core.Geo;
using G3.Core.Ports;
using G3.Retrieval.Embedded;
using static G3.Retrieval.Tests.Embedded.StoreTestData;

namespace G3.Retrieval.Tests.Embedded;

public sealed class EmbeddedStoreSearchTests
{
    [Theory]
    [InlineData(3, 50, 5)]      // dimension below one SIMD vector: scalar tail only
    [InlineData(17, 301, 10)]   // odd dimension and row count: every kernel tail
    [InlineData(64, 1000, 1)]
    [InlineData(512, 5000, 25)] // large enough to take the parallel path
    public async Task Search_returns_the_exact_top_k_of_a_brute_force_scan(int dim, int count, int k)
    {
        using var dir = new TempDirectory();
        using var store = CreateStore(dir.Path, dim);
        var records = RandomRecords(count, dim, seed: dim * 31 + count);
        await store.UpsertAsync(records, CancellationToken.None);
        var random = new Random(7);
        for (var trial = 0; trial < 5; trial++)
        {
            var query = RandomVector(random, dim);
            var expected = BruteForce(records, query, k);
            var actual = await store.SearchAsync(query, k, CancellationToken.None);
            Assert.Equal(expected.Select(e => e.Id), actual.Select(a => a.Id));
            for (var i = 0; i < k; i++)
                Assert.Equal(expected[i].Score, actual[i].Similarity, tolerance: 1e-5 * Math.Max(1, Math.Abs(expected[i].Score)));
        }
    }

    [Fact]
    public async Task Search_returns_payloads_with_each_hit()
    {
        using var dir = new TempDirectory();
        using var store = CreateStore(dir.Path, 8);
        // Unit vectors: each is its own best match by inner product.
        var records = RandomRecords(20, 8, seed: 1, unit: true);
        await store.UpsertAsync(records, CancellationToken.None);
        foreach (var record in records)
        {
            var hit = (await store.SearchAsync(record.Vector, 1, CancellationToken.None)).Single();
            Assert.Equal(record.Id, hit.Id);
            Assert.Equal(record.Point, hit.Point);
            Assert.Equal(record.Place, hit.Place);
        }
    }

    [Fact]
    public async Task Least_similar_search_matches_brute_force_with_negative_similarities()
    {
        using var dir = new TempDirectory();
        using var store = CreateStore(dir.Path, 24);
        var records = RandomRecords(400, 24, seed: 5);
        await store.UpsertAsync(records, CancellationToken.None);
        var query = RandomVector(new Random(9), 24);
        var expected = BruteForce(records, query, 12, least: true);
        var actual = await store.SearchLeastSimilarAsync(query, 12, CancellationToken.None);
        Assert.Equal(expected.Select(e => e.Id), actual.Select(a => a.Id));
        Assert.True(actual[0].Similarity < 0, "random vectors must have negative similarities at the bottom");
        Assert.True(actual.Zip(actual.Skip(1)).All(p => p.First.Similarity <= p.Second.Similarity), "least similar first");
    }

    [Fact]
    public async Task Neighbours_search_gives_both_ends_in_one_call()
    {
        using var dir = new TempDirectory();
        using var store = CreateStore(dir.Path, 16);
        var records = RandomRecords(300, 16, seed: 8);
        await store.UpsertAsync(records, CancellationToken.None);
        var query = RandomVector(new Random(2), 16);
        var both = await store.SearchNeighboursAsync(query, 5, 7, CancellationToken.None);
        Assert.Equal(BruteForce(records, query, 5).Select(e => e.Id), both.Similar.Select(p => p.Id));
        Assert.Equal(BruteForce(records, query, 7, least: true).Select(e => e.Id), both.Dissimilar.Select(p => p.Id));
    }

    [Fact]
    public async Task K_beyond_the_count_returns_every_row_and_an_empty_store_returns_none()
    {
        using var dir = new TempDirectory();
        using var store = CreateStore(dir.Path, 4);
        var query = new float[] { 1, 0, 0, 0 };
        Assert.Empty(await store.SearchAsync(query, 10, CancellationToken.None));
        Assert.Empty(await store.SearchLeastSimilarAsync(query, 10, CancellationToken.None));
        Assert.Equal(0, await store.CountAsync(CancellationToken.None));

        await store.UpsertAsync(RandomRecords(6, 4, seed: 3), CancellationToken.None);
        Assert.Equal(6, (await store.SearchAsync(query, 10, CancellationToken.None)).Count);
        Assert.Equal(6, (await store.SearchAsync(query, int.MaxValue, CancellationToken.None)).Count);
        Assert.Equal(6, (await store.SearchLeastSimilarAsync(query, 100, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Equal_scores_rank_the_earlier_row_first()
    {
        using var dir = new TempDirectory();
        using var store = CreateStore(dir.Path, 20);
        var random = new Random(4);
        var shared = RandomVector(random, 20);
        // Rows 0..39: noise and six identical copies of one vector interleaved.
        var records = Enumerable.Range(0, 40)
            .Select(i => new ReferenceRecord($"r{i}", i % 7 == 3 ? shared : RandomVector(random, 20), new GeoPoint(0, 0)))
            .ToArray();
        await store.UpsertAsync(records, CancellationToken.None);
        var copies = records.Where((_, i) => i % 7 == 3).Select(r => r.Id).ToArray();

        var top = await store.SearchAsync(shared, copies.Length, CancellationToken.None);
        Assert.Equal(copies, top.Select(p => p.Id));
        var bottom = await store.SearchLeastSimilarAsync(shared.Select(x => -x).ToArray(), copies.Length, CancellationToken.None);
        Assert.Equal(copies, bottom.Select(p => p.Id));
    }

    [Fact]
    public async Task Batched_search_equals_single_searches()
    {
        using var dir = new TempDirectory();
        using var store = CreateStore(dir.Path, 96, StoreElementType.Float16);
        await store.UpsertAsync(RandomRecords(3000, 96, seed: 11, unit: true), CancellationToken.None);
        var random = new Random(12);
        var queries = Enumerable.Range(0, 11).Select(_ => (ReadOnlyMemory<float>)RandomVector(random, 96, unit: true)).ToArray();

        var batched = await store.SearchBatchAsync(queries, 10, CancellationToken.None);
        Assert.Equal(queries.Length, batched.Count);
        for (var q = 0; q < queries.Length; q++)
        {
            var single = await store.SearchAsync(queries[q], 10, CancellationToken.None);
            Assert.Equal(single, batched[q]);
        }
    }

    [Fact]
    public async Task Float16_recall_at_10_is_at_least_0_99_against_exact_float32()
    {
        const int dim = 128;
        using var dir32 = new TempDirectory();
        using var dir16 = new TempDirectory();
        using var exact = CreateStore(dir32.Path, dim);
        using var half = CreateStore(dir16.Path, dim, StoreElementType.Float16);
        var records = RandomRecords(4000, dim, seed: 21, unit: true);
        await exact.UpsertAsync(records, CancellationToken.None);
        await half.UpsertAsync(records, CancellationToken.None);

        var random = new Random(22);
        var queries = Enumerable.Range(0, 50).Select(_ => (ReadOnlyMemory<float>)RandomVector(random, dim, unit: true)).ToArray();
        var truth = await exact.SearchBatchAsync(queries, 10, CancellationToken.None);
        var approx = await half.SearchBatchAsync(queries, 10, CancellationToken.None);
        var found = truth.Zip(approx).Sum(p => p.First.Select(x => x.Id).Intersect(p.Second.Select(x => x.Id)).Count());
        var recall = found / (10.0 * queries.Length);
        Assert.True(recall >= 0.99, $"float16 recall@10 was {recall:F4}");
    }

    [Fact]
    public async Task Bad_queries_get_clear_argument_errors()
    {
        using var dir = new TempDirectory();
        using var store = CreateStore(dir.Path, 4);
        await store.UpsertAsync(RandomRecords(5, 4, seed: 1), CancellationToken.None);

        var wrongDim = await Assert.ThrowsAsync<ArgumentException>(() => store.SearchAsync(new float[3], 1, CancellationToken.None));
        Assert.Contains("3 components", wrongDim.Message);
        Assert.Contains("4-dimensional", wrongDim.Message);
        var nan = await Assert.ThrowsAsync<ArgumentException>(() => store.SearchAsync(new[] { 0f, float.NaN, 0, 0 }, 1, CancellationToken.None));
        Assert.Contains("index 1", nan.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => store.SearchLeastSimilarAsync(new[] { 0f, 0, float.PositiveInfinity, 0 }, 1, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SearchAsync(new[] { 3e19f, 3e19f, 0, 0 }, 1, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.SearchAsync(new float[4], 0, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.SearchAsync(new float[4], -1, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SearchBatchAsync([], 1, CancellationToken.None));
        var batchError = await Assert.ThrowsAsync<ArgumentException>(
            () => store.SearchBatchAsync([new float[4], new float[5]], 1, CancellationToken.None));
        Assert.Contains("query 1", batchError.Message);
    }

    [Fact]
    public async Task Bad_records_are_refused_before_anything_is_written()
    {
        using var dir = new TempDirectory();
        using var store = CreateStore(dir.Path, 4, StoreElementType.Float16);
        var good = new ReferenceRecord("ok", [1, 0, 0, 0], new GeoPoint(1, 2));
        await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertAsync([good, good with { Vector = [1, 2, 3] }], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertAsync([good with { Id = "" }], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertAsync([good with { Vector = [float.NaN, 0, 0, 0] }], CancellationToken.None));
        var range = await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertAsync([good with { Vector = [70000, 0, 0, 0] }], CancellationToken.None));
        Assert.Contains("float16", range.Message);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task Cancelled_search_throws()
    {
        using var dir = new TempDirectory();
        using var store = CreateStore(dir.Path, 4);
        await store.UpsertAsync(RandomRecords(5, 4, seed: 1), CancellationToken.None);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SearchAsync(new float[4], 1, cts.Token));
    }
}
