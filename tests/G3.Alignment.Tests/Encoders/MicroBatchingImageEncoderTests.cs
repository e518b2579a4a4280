using G3.Alignment.Encoders;
using G3.Core.Ports;

namespace G3.Alignment.Tests.Encoders;

/// <summary>
/// Concurrent requests share model runs, each caller gets exactly its own rows, a bad image fails only
/// its own request, and a model error reaches every request of that run.
/// </summary>
public sealed class MicroBatchingImageEncoderTests
{
    private static QueryImage Image(int i) => new(new byte[] { (byte)(i % 256), (byte)(i / 256) });

    [Fact]
    public async Task Concurrent_requests_share_runs_and_each_gets_its_own_rows()
    {
        var model = new SlowModel(TimeSpan.FromMilliseconds(30));
        using var encoder = new MicroBatchingImageEncoder(model, maxBatch: 16);

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            encoder.EncodeBatchAsync([Image(i), Image(1000 + i)], CancellationToken.None))));

        for (var i = 0; i < 40; i++)
        {
            Assert.Equal([(float)(i % 256), i / 256], results[i][0].Retrieval);
            Assert.Equal([(float)((1000 + i) % 256), (1000 + i) / 256], results[i][1].Retrieval);
        }
        var (runs, images) = encoder.Totals;
        Assert.Equal(80, images);
        Assert.True(runs < 40, $"{runs} model runs for 40 concurrent requests: nothing was batched");
        Assert.All(model.Sizes, s => Assert.InRange(s, 2, 16));
    }

    [Fact]
    public async Task A_bad_image_fails_only_its_request()
    {
        using var encoder = new MicroBatchingImageEncoder(new SlowModel(TimeSpan.Zero));

        var bad = encoder.EncodeBatchAsync([new QueryImage("BAD"u8.ToArray())], CancellationToken.None);
        var good = encoder.EncodeBatchAsync([Image(7)], CancellationToken.None);

        await Assert.ThrowsAsync<InvalidDataException>(() => bad);
        var embedding = (await good)[0];
        Assert.Equal(new[] { 7f, 0f }, embedding.Retrieval);
    }

    [Fact]
    public async Task A_model_error_reaches_the_callers_of_that_run_and_the_next_run_works()
    {
        var model = new SlowModel(TimeSpan.Zero) { FailNext = true };
        using var encoder = new MicroBatchingImageEncoder(model);

        await Assert.ThrowsAsync<IOException>(() => encoder.EncodeBatchAsync([Image(1)], CancellationToken.None));

        var next = await encoder.EncodeBatchAsync([Image(2)], CancellationToken.None);
        Assert.Equal(new[] { 2f, 0f }, next[0].Retrieval);
    }

    private sealed class SlowModel(TimeSpan delay) : IImageBatchEncoder
    {
        public System.Collections.Concurrent.ConcurrentQueue<int> Sizes { get; } = new();
        public bool FailNext { get; set; }
        public int TensorLength => 2;

        public void Preprocess(ReadOnlySpan<byte> encoded, Span<float> destination)
        {
            if (encoded.StartsWith("BAD"u8)) throw new InvalidDataException("not an image");
            destination[0] = encoded[0];
            destination[1] = encoded[1];
        }

        public async Task<IReadOnlyList<ImageEmbedding>> EncodeTensorAsync(float[] batch, int count, CancellationToken cancellationToken)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("device lost");
            }
            Sizes.Enqueue(count);
            if (delay > TimeSpan.Zero) await Task.Delay(delay, cancellationToken);
            return Enumerable.Range(0, count).Select(i => new ImageEmbedding(batch.AsSpan(i * 2, 2).ToArray(), [0f])).ToList();
        }
    }
}
