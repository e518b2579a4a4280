using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using G3.Alignment.Encoders;
using G3.Alignment.Onnx;
using G3.Core.Pipeline;
using G3.Core.Ports;

namespace G3.Alignment.Tests.Encoders;

/// <summary>
/// The batch pipeline: every image comes back exactly once (embedding or failure), the model sees full
/// batches, a model error ends the stream, a consumer that stops early stops the workers, and with the
/// bundled model the embeddings equal those of one direct batched call.
/// </summary>
public sealed class BatchImageEncoderTests
{
    private static async IAsyncEnumerable<ImageSource<int>> Sources(int n, [EnumeratorCancellation] CancellationToken ct = default)
    {
        for (var i = 0; i < n; i++)
        {
            ct.ThrowIfCancellationRequested();
            await Task.Yield();
            byte[] bytes = i % 10 == 3 ? [.. "BAD"u8] : [(byte)(i % 256), (byte)(i / 256)];
            yield return ImageSource.FromBytes(i, bytes);
        }
    }

    [Fact]
    public async Task Every_image_comes_back_once_in_full_batches_and_bad_ones_as_failures()
    {
        var model = new FakeModel();
        var pipeline = new BatchImageEncoder(model, new BatchEncodingOptions(BatchSize: 8, DecodeWorkers: 3, QueueCapacity: 16));
        var results = new List<BatchEncodingResult<int>>();

        await foreach (var batch in pipeline.EncodeAsync(Sources(203), CancellationToken.None))
            results.AddRange(batch);

        Assert.Equal(Enumerable.Range(0, 203), results.Select(r => r.Key).Order());
        var failed = results.Where(r => !r.Succeeded).ToList();
        Assert.Equal(20, failed.Count); // 3, 13, ..., 193
        Assert.All(failed, f => Assert.IsType<InvalidDataException>(f.Error));
        Assert.All(results.Where(r => r.Succeeded), r => Assert.Equal([(float)(r.Key % 256), r.Key / 256], r.Embedding!.Retrieval));
        var sizes = model.BatchSizes.ToArray();
        Assert.Equal(183, sizes.Sum());
        Assert.Equal(sizes.Length - 1, sizes.Count(s => s == 8)); // only the last batch may be short
    }

    [Fact]
    public async Task A_model_error_ends_the_stream_with_that_error()
    {
        var pipeline = new BatchImageEncoder(new FakeModel { FailOnBatch = 3 }, new BatchEncodingOptions(BatchSize: 4, DecodeWorkers: 2));

        var e = await Assert.ThrowsAsync<OnnxRuntimeException>(async () =>
        {
            await foreach (var _ in pipeline.EncodeAsync(Sources(100), CancellationToken.None)) { }
        });

        Assert.Contains("batch 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_consumer_that_stops_early_stops_the_workers()
    {
        var model = new FakeModel();
        var pipeline = new BatchImageEncoder(model, new BatchEncodingOptions(BatchSize: 4, DecodeWorkers: 2, QueueCapacity: 4));

        await foreach (var _ in pipeline.EncodeAsync(Sources(100_000), CancellationToken.None))
            break;
        var after = model.Preprocessed;
        await Task.Delay(200);

        Assert.True(after < 1000, $"{after} images were decoded for one batch");
        Assert.Equal(after, model.Preprocessed); // nothing runs on after the enumeration ended
    }

    [Fact]
    public async Task Bundled_model_embeddings_equal_one_direct_batched_call()
    {
        var manifest = TestPaths.InRepo("models", "g3-mini", "manifest.json");
        using var encoder = ImageEncoder.Open(manifest, new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cpu });
        var files = Directory.GetFiles(TestPaths.Fixture("bundled"), "*.jpg").Order(StringComparer.Ordinal).ToArray();
        var direct = await encoder.EncodeBatchAsync([.. files.Select(f => new QueryImage(File.ReadAllBytes(f)))], CancellationToken.None);
        var pipeline = new BatchImageEncoder(encoder, new BatchEncodingOptions(BatchSize: 3, DecodeWorkers: 2));

        var got = new Dictionary<int, ImageEmbedding>();
        await foreach (var batch in pipeline.EncodeAsync(Files(files), CancellationToken.None))
            foreach (var r in batch) got.Add(r.Key, r.Embedding!);

        Assert.Equal(files.Length, got.Count);
        for (var i = 0; i < files.Length; i++)
        {
            Assert.True(MaxAbsDiff(direct[i].Retrieval, got[i].Retrieval) < 1e-6, $"retrieval of {files[i]}");
            Assert.True(MaxAbsDiff(direct[i].Gps, got[i].Gps) < 1e-6, $"gps of {files[i]}");
        }

        static async IAsyncEnumerable<ImageSource<int>> Files(string[] files)
        {
            for (var i = 0; i < files.Length; i++)
            {
                await Task.Yield();
                var path = files[i];
                yield return new ImageSource<int>(i, ct => new ValueTask<byte[]>(File.ReadAllBytesAsync(path, ct)));
            }
        }
    }

    private static double MaxAbsDiff(float[] a, float[] b) => a.Zip(b).Max(p => Math.Abs((double)p.First - p.Second));

    private sealed class FakeModel : IImageBatchEncoder
    {
        private int _batches;
        private int _preprocessed;
        public ConcurrentQueue<int> BatchSizes { get; } = new();
        public int FailOnBatch { get; init; } = -1;
        public int Preprocessed => Volatile.Read(ref _preprocessed);
        public int TensorLength => 2;

        public void Preprocess(ReadOnlySpan<byte> encoded, Span<float> destination)
        {
            Interlocked.Increment(ref _preprocessed);
            if (encoded.StartsWith("BAD"u8)) throw new InvalidDataException("not an image");
            destination[0] = encoded[0];
            destination[1] = encoded[1];
        }

        public Task<IReadOnlyList<ImageEmbedding>> EncodeTensorAsync(float[] batch, int count, CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref _batches);
            if (n == FailOnBatch) throw new OnnxRuntimeException($"model failed on batch {n}");
            BatchSizes.Enqueue(count);
            return Task.FromResult<IReadOnlyList<ImageEmbedding>>(Enumerable.Range(0, count)
                .Select(i => new ImageEmbedding(batch.AsSpan(i * 2, 2).ToArray(), [0f])).ToList());
        }
    }
}
