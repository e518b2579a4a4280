using G3.Core.Ports;
using G3.Retrieval.Embedded;
using static G3.Retrieval.Tests.Embedded.StoreTestData;

namespace G3.Retrieval.Tests.Embedded;

/// <summary>
/// A float16 store ranks exactly as a float64 brute force over its stored halves, whichever kernel
/// the machine takes: the fused in-register widening for one query (and its fallback for a query
/// too large to pre-scale), the widening pass for batches.
/// </summary>
public sealed class EmbeddedStoreFloat16SearchTests
{
    [Theory]
    [InlineData(3, 50, 5)]      // below one vector: scalar tail only
    [InlineData(17, 301, 10)]   // odd dimension, rows not a multiple of the block
    [InlineData(99, 1001, 7)]   // full vectors past the last group of four, plus a tail
    [InlineData(512, 5000, 25)] // large enough to take the parallel path
    public async Task Search_returns_the_exact_top_k_of_the_stored_halves(int dim, int count, int k)
    {
        using var dir = new TempDirectory();
        using var store = CreateStore(dir.Path, dim, StoreElementType.Float16);
        var records = RandomRecords(count, dim, seed: dim * 17 + count);
        await store.UpsertAsync(records, CancellationToken.None);
        var stored = records.Select(r => r with { Vector = r.Vector.Select(x => (float)(Half)x).ToArray() }).ToArray();
        var random = new Random(9);
        for (var trial = 0; trial < 4; trial++)
        {
            var query = RandomVector(random, dim);
            // The last trial has a component too large to scale by 2^112, which takes the widening-pass fallback.
            if (trial == 3) query[dim / 2] = 70000f;
            var expected = BruteForce(stored, query, k);
            var single = await store.SearchAsync(query, k, CancellationToken.None);
            Assert.Equal(expected.Select(e => e.Id), single.Select(a => a.Id));
            for (var i = 0; i < k; i++)
                Assert.Equal(expected[i].Score, single[i].Similarity, tolerance: 1e-5 * Math.Max(1, Math.Abs(expected[i].Score)));
            var batched = await store.SearchBatchAsync([query, RandomVector(random, dim)], k, CancellationToken.None);
            Assert.Equal(single, batched[0]);
        }
    }
}
