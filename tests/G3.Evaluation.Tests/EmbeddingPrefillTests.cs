using G3.Alignment.Encoders;
using G3.Alignment.Imaging;
using G3.Alignment.Onnx;
using G3.Core.Pipeline;
using G3.Core.Ports;

namespace G3.Evaluation.Tests;

/// <summary>
/// The batched pre-pass of an evaluation run: with the bundled model, the images reach the model in
/// batches of more than one, each pipeline then finds its embedding in the run's cache (no per-image
/// model call), the embeddings equal those of the unbatched path (one image per call) within 1e-5 per
/// element, and an unreadable or undecodable image is left to the per-image path, which fails on it as
/// an unbatched run does.
/// </summary>
public sealed class EmbeddingPrefillTests : IDisposable
{
    private static readonly string Manifest = TestPaths.InRepo("models", "g3-mini", "manifest.json");
    private readonly ImageEncoder _encoder = ImageEncoder.Open(Manifest, new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cpu });
    private readonly string[] _photos = Directory.GetFiles(TestPaths.Fixture("bundled"), "*.jpg").Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task Images_go_to_the_model_in_batches_and_match_the_unbatched_path()
    {
        var model = new CountingBatchModel(_encoder);
        var perImage = new CountingImageEncoder(_encoder);
        var cache = new CachingImageEncoder(perImage);

        var (encoded, runs) = await EmbeddingPrefill.RunAsync(model, new BatchEncodingOptions(BatchSize: 4, DecodeWorkers: 2), cache, _photos, CancellationToken.None);

        Assert.Equal(_photos.Length, encoded);
        Assert.Equal(_photos.Length, model.Batches.Sum());
        Assert.True(model.Batches.Max() > 1, $"batches seen: {string.Join(", ", model.Batches)}");
        Assert.Equal((_photos.Length + 3) / 4, runs); // full batches of 4, only the last one short
        Assert.Equal(_photos.Length, cache.EncoderCalls);

        foreach (var photo in _photos)
        {
            var image = new QueryImage(File.ReadAllBytes(photo));
            var batched = (await cache.EncodeBatchAsync([image], CancellationToken.None))[0];
            var unbatched = (await _encoder.EncodeBatchAsync([image], CancellationToken.None))[0];
            Assert.True(MaxAbsDiff(batched.Retrieval, unbatched.Retrieval) <= 1e-5, $"retrieval of {Path.GetFileName(photo)}");
            Assert.True(MaxAbsDiff(batched.Gps, unbatched.Gps) <= 1e-5, $"gps of {Path.GetFileName(photo)}");
        }
        Assert.Equal(0, perImage.Calls); // every pipeline request was answered from the pre-pass
    }

    [Fact]
    public async Task Unreadable_and_undecodable_images_are_left_to_the_per_image_path()
    {
        var bad = TestPaths.Fixture("images", "empty.bin");
        var missing = Path.Combine(TestPaths.Fixture("bundled"), "absent.jpg");
        var perImage = new CountingImageEncoder(_encoder);
        var cache = new CachingImageEncoder(perImage);

        var (encoded, _) = await EmbeddingPrefill.RunAsync(_encoder, new BatchEncodingOptions(BatchSize: 4, DecodeWorkers: 2), cache,
            [.. _photos.Take(3), bad, missing], CancellationToken.None);

        Assert.Equal(3, encoded);
        // The pipeline sends the bad image to the model alone and gets the decoder's error, as without the pre-pass.
        await Assert.ThrowsAsync<ImageDecodeException>(() => cache.EncodeBatchAsync([new QueryImage(File.ReadAllBytes(bad))], CancellationToken.None));
        Assert.Equal(1, perImage.Calls);
    }

    [Fact]
    public async Task A_cancelled_run_stops_and_caches_nothing()
    {
        var cache = new CachingImageEncoder(_encoder);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            EmbeddingPrefill.RunAsync(_encoder, new BatchEncodingOptions(BatchSize: 4), cache, _photos, cancelled.Token));
        Assert.Equal(0, cache.EncoderCalls);
    }

    public void Dispose() => _encoder.Dispose();

    private static double MaxAbsDiff(float[] a, float[] b) => a.Zip(b).Max(p => Math.Abs((double)p.First - p.Second));

    /// <summary>The real model, recording how many images each run held.</summary>
    private sealed class CountingBatchModel(ImageEncoder inner) : IImageBatchEncoder
    {
        public System.Collections.Concurrent.ConcurrentQueue<int> Queue { get; } = new();
        public int[] Batches => [.. Queue];
        public int TensorLength => inner.TensorLength;
        public void Preprocess(ReadOnlySpan<byte> encoded, Span<float> destination) => inner.Preprocess(encoded, destination);

        public Task<IReadOnlyList<ImageEmbedding>> EncodeTensorAsync(float[] batch, int count, CancellationToken cancellationToken)
        {
            Queue.Enqueue(count);
            return inner.EncodeTensorAsync(batch, count, cancellationToken);
        }
    }

    /// <summary>The per-image path, counting the images sent to it.</summary>
    private sealed class CountingImageEncoder(IImageEncoder inner) : IImageEncoder
    {
        private int _calls;
        public int Calls => Volatile.Read(ref _calls);

        public Task<IReadOnlyList<ImageEmbedding>> EncodeBatchAsync(IReadOnlyList<QueryImage> images, CancellationToken cancellationToken)
        {
            Interlocked.Add(ref _calls, images.Count);
            return inner.EncodeBatchAsync(images, cancellationToken);
        }
    }
}
