using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Retrieval.Indexing;

namespace G3.Retrieval.Tests.Indexing;

public sealed class IndexJobTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("g3-index").FullName;

    /// <summary>Writes n image files; every tenth is "corrupt".</summary>
    private List<IndexItem> MakeItems(int n) => Enumerable.Range(0, n).Select(i =>
    {
        var path = Path.Combine(_dir, $"{i:0000}.jpg");
        File.WriteAllBytes(path, i % 10 == 7 ? "BAD"u8.ToArray() : [(byte)(i % 256), (byte)(i / 256)]);
        return new IndexItem($"img/{i:0000}.jpg", new GeoPoint(i % 90, i % 180), new Place(City: $"c{i}"), path);
    }).ToList();

    private static async IAsyncEnumerable<IndexItem> Stream(IEnumerable<IndexItem> items, [EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var item in items)
        {
            ct.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return item;
        }
    }

    [Fact]
    public async Task Indexes_every_readable_image_and_reports_the_rest()
    {
        var items = MakeItems(100);
        var store = new RecordingStore();
        var encoder = new FakeBatchEncoder();
        var report = Path.Combine(_dir, "report.tsv");
        var progress = new List<IndexProgress>();

        var summary = await new IndexJob(encoder, store, new IndexOptions(BatchSize: 8, DecodeWorkers: 3))
            .RunAsync(Stream(items), report, progress.Add, default);

        Assert.Equal(100, summary.Seen);
        Assert.Equal(90, summary.Indexed);
        Assert.Equal(10, summary.Failed);
        Assert.False(summary.Cancelled);
        Assert.Equal(90, store.Records.Count);
        Assert.All(encoder.BatchSizes, b => Assert.InRange(b, 1, 8));
        Assert.True(encoder.BatchSizes.Count(b => b == 8) >= 10, "full batches are the norm");
        // Every stored vector came from its own image (the fake encodes the file's first two bytes).
        foreach (var item in items.Where((_, i) => i % 10 != 7))
        {
            var record = store.Records[item.Id];
            var i = int.Parse(item.Id[4..8], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(new[] { (float)(i % 256), i / 256 }, record.Vector);
            Assert.Equal(item.Point, record.Point);
            Assert.Equal(item.Place, record.Place);
        }
        var lines = await File.ReadAllLinesAsync(report);
        Assert.Equal(10, lines.Length);
        Assert.All(lines, l => Assert.Contains("not an image", l, StringComparison.Ordinal));
        Assert.Equal(summary.Indexed, progress[^1].Indexed);
    }

    [Fact]
    public async Task A_rerun_skips_what_is_already_stored()
    {
        var items = MakeItems(40);
        var store = new RecordingStore();
        await new IndexJob(new FakeBatchEncoder(), store, new IndexOptions(BatchSize: 4)).RunAsync(Stream(items), null, null, default);
        var encoder = new FakeBatchEncoder();
        var second = await new IndexJob(encoder, store, new IndexOptions(BatchSize: 4)).RunAsync(Stream(items), null, null, default);
        Assert.Equal(36, second.Skipped);
        Assert.Equal(0, second.Indexed);
        Assert.Equal(4, second.Failed); // the corrupt ones are tried again, and fail again
        Assert.Empty(encoder.BatchSizes);
    }

    [Fact]
    public async Task Cancelling_keeps_committed_batches_and_a_resume_finishes_without_duplicates()
    {
        var items = MakeItems(200);
        var store = new RecordingStore();
        using var cts = new CancellationTokenSource();
        var encoder = new FakeBatchEncoder { OnBatch = n => { if (n >= 5) cts.Cancel(); } };

        var first = await new IndexJob(encoder, store, new IndexOptions(BatchSize: 8)).RunAsync(Stream(items), null, null, cts.Token);
        Assert.True(first.Cancelled);
        Assert.True(first.Indexed < 180);
        Assert.Equal(first.Indexed, store.Records.Count);

        var second = await new IndexJob(new FakeBatchEncoder(), store, new IndexOptions(BatchSize: 8)).RunAsync(Stream(items), null, null, default);
        Assert.False(second.Cancelled);
        Assert.Equal(180, store.Records.Count);
        Assert.Equal(180, store.Upserted); // no id was ever written twice
    }

    [Fact]
    public async Task A_failing_store_stops_the_run_with_its_error()
    {
        var store = new RecordingStore { Fail = true };
        var ex = await Assert.ThrowsAsync<IOException>(() =>
            new IndexJob(new FakeBatchEncoder(), store, new IndexOptions(BatchSize: 4)).RunAsync(Stream(MakeItems(50)), null, null, default));
        Assert.Contains("disk full", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private sealed class FakeBatchEncoder : IImageBatchEncoder
    {
        private int _batches;
        public ConcurrentQueue<int> BatchSizes { get; } = new();
        public Action<int>? OnBatch { get; init; }
        public int TensorLength => 2;

        public void Preprocess(ReadOnlySpan<byte> encoded, Span<float> destination)
        {
            if (encoded.StartsWith("BAD"u8)) throw new InvalidDataException("not an image");
            destination[0] = encoded[0];
            destination[1] = encoded[1];
        }

        public Task<IReadOnlyList<ImageEmbedding>> EncodeTensorAsync(float[] batch, int count, CancellationToken cancellationToken)
        {
            BatchSizes.Enqueue(count);
            OnBatch?.Invoke(Interlocked.Increment(ref _batches));
            return Task.FromResult<IReadOnlyList<ImageEmbedding>>(Enumerable.Range(0, count)
                .Select(i => new ImageEmbedding(batch.AsSpan(i * 2, 2).ToArray(), [0f])).ToList());
        }
    }

    private sealed class RecordingStore : IReferenceStore
    {
        public ConcurrentDictionary<string, ReferenceRecord> Records { get; } = new();
        public int Upserted;
        public bool Fail { get; init; }
        public int Dimension => 2;

        public Task UpsertAsync(IReadOnlyList<ReferenceRecord> records, CancellationToken cancellationToken)
        {
            if (Fail) throw new IOException("disk full");
            foreach (var r in records) Records[r.Id] = r;
            Interlocked.Add(ref Upserted, records.Count);
            return Task.CompletedTask;
        }

        public Task<IReadOnlySet<string>> FindExistingAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlySet<string>>(ids.Where(Records.ContainsKey).ToHashSet());

        public Task<IReadOnlyList<ReferencePhoto>> SearchAsync(ReadOnlyMemory<float> query, int k, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<ReferencePhoto>> SearchLeastSimilarAsync(ReadOnlyMemory<float> query, int k, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<long> CountAsync(CancellationToken cancellationToken) => Task.FromResult((long)Records.Count);
        public Task<int> DeleteAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
