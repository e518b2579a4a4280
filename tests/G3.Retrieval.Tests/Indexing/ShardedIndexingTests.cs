using System.Runtime.CompilerServices;
using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Retrieval.Indexing;
using G3.Retrieval.Qdrant;
using G3.Retrieval.Tests.Qdrant;
using G3.Retrieval.Tests.Qdrant.Fake;

namespace G3.Retrieval.Tests.Indexing;

/// <summary>
/// <c>g3 index --shard i/n</c>: n jobs, each with its own gRPC client (as separate processes would
/// have), index one synthetic world into one collection of the in-process fake Qdrant at once;
/// the result must equal one job indexing everything.
/// </summary>
public sealed class ShardedIndexingTests : IDisposable
{
    private const int Dim = 12;
    private readonly string _dir = Directory.CreateTempSubdirectory("g3-shards").FullName;

    [Fact]
    public void Shards_partition_the_ids_deterministically()
    {
        var ids = Enumerable.Range(0, 5000).Select(i => $"{i % 13:x2}/{i % 7:x2}/{i}.jpg").ToList();
        var shards = Enumerable.Range(1, 3).Select(i => new IndexShard(i, 3)).ToList();
        Assert.All(ids, id => Assert.Single(shards, s => s.Contains(id)));
        Assert.All(shards, s => Assert.InRange(ids.Count(s.Contains), 1500, 1833)); // roughly a third each
        // Pinned (computed independently: Python, FNV-1a 64 of the UTF-8 id, mod 3, plus 1): the split must not
        // change between versions, or a half-done sharded run would miss photos.
        Assert.Equal([3, 1, 1, 3], new[] { "a1/b2/123.jpg", "x.jpg", "é/ü.jpg", "" }.Select(id => IndexShard.Of(id, 3)));
        Assert.True(IndexShard.All.Contains("anything"));
    }

    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("1/0")]
    [InlineData("1-3")]
    [InlineData("a/b")]
    [InlineData("1/3/5")]
    [InlineData(" 1/3")]
    public void Bad_shard_texts_are_refused(string text)
    {
        Assert.False(IndexShard.TryParse(text, out _, out var error));
        Assert.Contains(text, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Three_concurrent_shards_build_the_same_collection_as_one_job()
    {
        var world = World(600);
        await using var server = await FakeQdrantServer.StartAsync();

        using (var single = Store(server, "single"))
            await new IndexJob(new VectorFileEncoder(), single, new IndexOptions(BatchSize: 16, DecodeWorkers: 2))
                .RunAsync(Stream(world), null, null, default);

        // Shard 2 is interrupted half-way (Ctrl-C) and resumed, as a real run may be.
        using (var interrupted = Store(server, "sharded"))
        using (var cts = new CancellationTokenSource())
        {
            var encoder = new VectorFileEncoder { OnBatch = n => { if (n == 5) cts.Cancel(); } };
            var stopped = await new IndexJob(encoder, interrupted, new IndexOptions(BatchSize: 16, DecodeWorkers: 2))
                .RunAsync(new IndexShard(2, 3).Filter(Stream(world)), null, null, cts.Token);
            Assert.True(stopped.Cancelled);
            Assert.InRange(stopped.Indexed, 1, 199);
        }

        var shards = Enumerable.Range(1, 3).Select(async i =>
        {
            using var store = Store(server, "sharded");
            return await new IndexJob(new VectorFileEncoder(), store, new IndexOptions(BatchSize: 16, DecodeWorkers: 2))
                .RunAsync(new IndexShard(i, 3).Filter(Stream(world)), null, null, default);
        }).ToList();
        var summaries = await Task.WhenAll(shards);

        Assert.Equal(world.Count, summaries.Sum(s => s.Seen));
        Assert.True(summaries[1].Skipped > 0, "the resumed shard skips what it had committed");
        Assert.Equal(world.Count, summaries.Sum(s => s.Indexed + s.Skipped));

        using var one = Store(server, "single");
        using var many = Store(server, "sharded");
        Assert.Equal(world.Count, await one.CountAsync(default));
        Assert.Equal(world.Count, await many.CountAsync(default));
        var random = new Random(4);
        for (var q = 0; q < 10; q++)
        {
            var query = QdrantTestKit.RandomUnit(random, Dim);
            var a = await one.SearchNeighboursAsync(query, 10, 5, default);
            var b = await many.SearchNeighboursAsync(query, 10, 5, default);
            Assert.Equal(a.Similar.Select(p => (p.Id, p.Similarity)), b.Similar.Select(p => (p.Id, p.Similarity)));
            Assert.Equal(a.Dissimilar.Select(p => p.Id), b.Dissimilar.Select(p => p.Id));
        }
    }

    private static QdrantReferenceStore Store(FakeQdrantServer server, string collection) =>
        new(QdrantTestKit.Options(server, Dim) with { Collection = collection, UpsertBatchSize = 16 });

    /// <summary>n photos: each "image" file holds its embedding's bytes, so any encoder run gives the same vector.</summary>
    private List<IndexItem> World(int n)
    {
        var random = new Random(1234);
        return Enumerable.Range(0, n).Select(i =>
        {
            var id = $"{i % 17:x2}/{i % 5:x2}/{i}.jpg";
            var path = Path.Combine(_dir, $"{i}.bin");
            var vector = QdrantTestKit.RandomUnit(random, Dim);
            File.WriteAllBytes(path, System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan()).ToArray());
            return new IndexItem(id, new GeoPoint(random.Next(-80, 80), random.Next(-170, 170)), new Place(Country: $"C{i % 11}"), path);
        }).ToList();
    }

    private static async IAsyncEnumerable<IndexItem> Stream(IEnumerable<IndexItem> items, [EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var item in items)
        {
            ct.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return item;
        }
    }

    private sealed class VectorFileEncoder : IImageBatchEncoder
    {
        private int _batches;
        public Action<int>? OnBatch { get; init; }
        public int TensorLength => Dim;

        public void Preprocess(ReadOnlySpan<byte> encoded, Span<float> destination) =>
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(encoded).CopyTo(destination);

        public Task<IReadOnlyList<ImageEmbedding>> EncodeTensorAsync(float[] batch, int count, CancellationToken cancellationToken)
        {
            OnBatch?.Invoke(Interlocked.Increment(ref _batches));
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult<IReadOnlyList<ImageEmbedding>>(Enumerable.Range(0, count)
                .Select(i => new ImageEmbedding(batch.AsSpan(i * Dim, Dim).ToArray(), [0f])).ToList());
        }
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
