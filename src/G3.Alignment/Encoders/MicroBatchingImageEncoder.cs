using System.Threading.Channels;
using G3.Core.Ports;

namespace G3.Alignment.Encoders;

/// <summary>
/// Serves concurrent requests with shared model runs. Each caller decodes and preprocesses its own images
/// on its own thread (so a bad image fails only its request, and decoding spreads over the cores), then
/// queues the tensors; one loop runs the model on everything queued, up to <c>maxBatch</c> images at a
/// time. It never waits to fill a batch: requests that arrive while a run is in flight go together into
/// the next one, so an idle service adds no latency and a busy one gets batches (which a GPU needs).
/// </summary>
public sealed class MicroBatchingImageEncoder : IImageEncoder, IDisposable
{
    private readonly IImageBatchEncoder _encoder;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public MicroBatchingImageEncoder(IImageBatchEncoder encoder, int maxBatch = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _encoder = encoder;
        _maxBatch = maxBatch;
        _loop = Task.Run(RunLoopAsync);
    }

    /// <summary>Model runs so far and the images they held (for tests and metrics).</summary>
    public (long Runs, long Images) Totals => (Interlocked.Read(ref _runs), Interlocked.Read(ref _images));

    private long _runs;
    private long _images;

    public async Task<IReadOnlyList<ImageEmbedding>> EncodeBatchAsync(IReadOnlyList<QueryImage> images, CancellationToken cancellationToken)
    {
        if (images.Count == 0) return [];
        var length = _encoder.TensorLength;
        var tensor = new float[images.Count * length];
        for (var i = 0; i < images.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _encoder.Preprocess(images[i].Bytes.Span, tensor.AsSpan(i * length, length));
        }
        var pending = new Pending(tensor, images.Count, new TaskCompletionSource<IReadOnlyList<ImageEmbedding>>(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);
        // A cancelled caller stops waiting; its images still run with the batch they joined (harmless).
        return await pending.Result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _loop.GetAwaiter().GetResult();
    }

    private async Task RunLoopAsync()
    {
        var reader = _queue.Reader;
        var group = new List<Pending>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var count = 0;
            // Take what is queued now; a request bigger than maxBatch runs alone.
            while (reader.TryPeek(out var next) && (group.Count == 0 || count + next.Count <= _maxBatch) && reader.TryRead(out next))
            {
                group.Add(next);
                count += next.Count;
            }
            await RunAsync(group, count).ConfigureAwait(false);
            group.Clear();
        }
    }

    private async Task RunAsync(List<Pending> group, int count)
    {
        try
        {
            var length = _encoder.TensorLength;
            float[] batch;
            if (group.Count == 1)
            {
                batch = group[0].Tensor;
            }
            else
            {
                batch = new float[count * length];
                var offset = 0;
                foreach (var p in group)
                {
                    p.Tensor.CopyTo(batch, offset);
                    offset += p.Tensor.Length;
                }
            }
            var embeddings = await _encoder.EncodeTensorAsync(batch, count, CancellationToken.None).ConfigureAwait(false);
            Interlocked.Increment(ref _runs);
            Interlocked.Add(ref _images, count);
            var start = 0;
            foreach (var p in group)
            {
                p.Result.TrySetResult(embeddings.Skip(start).Take(p.Count).ToArray());
                start += p.Count;
            }
        }
        catch (Exception ex)
        {
            // A model error fails every request of the run, each with the real cause.
            foreach (var p in group) p.Result.TrySetException(ex);
        }
    }

    private sealed record Pending(float[] Tensor, int Count, TaskCompletionSource<IReadOnlyList<ImageEmbedding>> Result);
}
