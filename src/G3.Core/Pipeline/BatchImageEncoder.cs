using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using G3.Core.Ports;

namespace G3.Core.Pipeline;

/// <summary>Knobs of a <see cref="BatchImageEncoder"/>.</summary>
/// <param name="BatchSize">Images per model run (a GPU wants 32–128; the CPU is content with less).</param>
/// <param name="DecodeWorkers">Parallel read + decode + preprocess workers; 0 = one per core.</param>
/// <param name="QueueCapacity">Images buffered between stages; bounds memory (each holds 3·H·W floats).</param>
public sealed record BatchEncodingOptions(int BatchSize = 32, int DecodeWorkers = 0, int QueueCapacity = 256)
{
    public int Workers => DecodeWorkers > 0 ? DecodeWorkers : Environment.ProcessorCount;

    public void EnsureValid()
    {
        if (BatchSize is < 1 or > 4096) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be between 1 and 4096");
        if (DecodeWorkers < 0) throw new ArgumentOutOfRangeException(nameof(DecodeWorkers), DecodeWorkers, "DecodeWorkers must be 0 (one per core) or more");
        if (QueueCapacity < 1) throw new ArgumentOutOfRangeException(nameof(QueueCapacity), QueueCapacity, "QueueCapacity must be positive");
    }
}

/// <summary>One image to encode: a key the caller recognises it by, and how to read its encoded bytes.</summary>
public readonly record struct ImageSource<TKey>(TKey Key, Func<CancellationToken, ValueTask<byte[]>> ReadAsync);

/// <summary>The usual <see cref="ImageSource{TKey}"/>s. The kernel does no I/O itself: a file source is the
/// caller's <c>ReadAsync</c> (e.g. <c>ct => new ValueTask&lt;byte[]&gt;(File.ReadAllBytesAsync(path, ct))</c>).</summary>
public static class ImageSource
{
    /// <summary>Bytes already in memory.</summary>
    public static ImageSource<TKey> FromBytes<TKey>(TKey key, byte[] bytes) => new(key, _ => ValueTask.FromResult(bytes));
}

/// <summary>What became of one image: its embedding, or why it could not be read or decoded.</summary>
public sealed record BatchEncodingResult<TKey>(TKey Key, ImageEmbedding? Embedding, Exception? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// Encodes a stream of images with as few idle cores and as full batches as the input allows:
/// read + decode + preprocess run on <see cref="BatchEncodingOptions.Workers"/> parallel workers, bounded
/// queues keep memory flat, and the model sees full batches of <see cref="BatchEncodingOptions.BatchSize"/>
/// (only the last may be short) while the workers already decode the next. Results come out one batch at a
/// time, in completion order, not input order; an unreadable image is a failed result, never the end of
/// the stream. A model error ends the stream with that error. Used by <c>index</c> (through
/// G3.Retrieval's IndexJob) and by evaluation runs.
/// </summary>
public sealed class BatchImageEncoder(IImageBatchEncoder encoder, BatchEncodingOptions options)
{
    /// <summary>Batches whose results wait for the consumer; small, since the consumer usually keeps up.</summary>
    private const int ResultQueueBatches = 2;

    public async IAsyncEnumerable<IReadOnlyList<BatchEncodingResult<TKey>>> EncodeAsync<TKey>(
        IAsyncEnumerable<ImageSource<TKey>> sources, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        options.EnsureValid();
        var toDecode = Channel.CreateBounded<ImageSource<TKey>>(options.QueueCapacity);
        var decoded = Channel.CreateBounded<Decoded<TKey>>(options.QueueCapacity);
        var results = Channel.CreateBounded<IReadOnlyList<BatchEncodingResult<TKey>>>(ResultQueueBatches);

        // Stages share one token: the first to fail (or a consumer that stops early) stops the others.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ct = stop.Token;
        var produce = Stage(() => ProduceAsync(sources, toDecode.Writer, ct), toDecode.Writer, stop);
        var workers = Enumerable.Range(0, options.Workers)
            .Select(_ => Task.Run(() => DecodeAsync(toDecode.Reader, decoded.Writer, ct), ct))
            .ToArray();
        var decode = Stage(() => Task.WhenAll(workers), decoded.Writer, stop);
        var encode = Stage(() => EncodeBatchesAsync(decoded.Reader, results.Writer, ct), results.Writer, stop);

        try
        {
            await foreach (var batch in results.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                yield return batch;
            await Task.WhenAll(produce, decode, encode).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            // Let every stage finish before the token source goes away; their errors were already surfaced
            // through the result channel (or the consumer left early and does not want them).
            try
            {
                await Task.WhenAll(produce, decode, encode).ConfigureAwait(false);
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
            }
            while (decoded.Reader.TryRead(out var left)) left.Return();
        }
    }

    /// <summary>Runs a stage and completes its output channel either way; a failure stops the other stages.</summary>
    private static async Task Stage<T>(Func<Task> stage, ChannelWriter<T> output, CancellationTokenSource stop)
    {
        try
        {
            await stage().ConfigureAwait(false);
            output.TryComplete();
        }
        catch (Exception ex)
        {
            output.TryComplete(ex);
            if (ex is not OperationCanceledException) await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task ProduceAsync<TKey>(IAsyncEnumerable<ImageSource<TKey>> sources, ChannelWriter<ImageSource<TKey>> output, CancellationToken ct)
    {
        await foreach (var source in sources.WithCancellation(ct).ConfigureAwait(false))
            await output.WriteAsync(source, ct).ConfigureAwait(false);
    }

    private async Task DecodeAsync<TKey>(ChannelReader<ImageSource<TKey>> input, ChannelWriter<Decoded<TKey>> output, CancellationToken ct)
    {
        await foreach (var source in input.ReadAllAsync(ct).ConfigureAwait(false))
        {
            Decoded<TKey> item;
            // Pooled: at batch 128 of 224² a fresh array per image would be 77 MB of garbage per batch.
            var tensor = ArrayPool<float>.Shared.Rent(encoder.TensorLength);
            try
            {
                var bytes = await source.ReadAsync(ct).ConfigureAwait(false);
                encoder.Preprocess(bytes, tensor.AsSpan(0, encoder.TensorLength));
                item = new Decoded<TKey>(source.Key, tensor, null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                ArrayPool<float>.Shared.Return(tensor);
                item = new Decoded<TKey>(source.Key, null, ex);
            }
            catch
            {
                ArrayPool<float>.Shared.Return(tensor);
                throw;
            }
            await output.WriteAsync(item, ct).ConfigureAwait(false);
        }
    }

    private async Task EncodeBatchesAsync<TKey>(
        ChannelReader<Decoded<TKey>> input, ChannelWriter<IReadOnlyList<BatchEncodingResult<TKey>>> output, CancellationToken ct)
    {
        var length = encoder.TensorLength;
        // One batch buffer, reused: the model copies (or reads) it during the run and is done with it after.
        var buffer = new float[options.BatchSize * length];
        var keys = new List<TKey>(options.BatchSize);
        var failures = new List<BatchEncodingResult<TKey>>();

        async Task FlushAsync(bool runModel)
        {
            var batch = new List<BatchEncodingResult<TKey>>(keys.Count + failures.Count);
            if (runModel && keys.Count > 0)
            {
                var embeddings = await encoder.EncodeTensorAsync(buffer, keys.Count, ct).ConfigureAwait(false);
                for (var i = 0; i < keys.Count; i++) batch.Add(new BatchEncodingResult<TKey>(keys[i], embeddings[i], null));
            }
            batch.AddRange(failures);
            if (runModel) keys.Clear();
            failures.Clear();
            if (batch.Count > 0) await output.WriteAsync(batch, ct).ConfigureAwait(false);
        }

        while (await input.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            while (keys.Count < options.BatchSize && input.TryRead(out var next))
            {
                if (next.Tensor is null)
                {
                    failures.Add(new BatchEncodingResult<TKey>(next.Key, null, next.Error));
                    continue;
                }
                next.Tensor.AsSpan(0, length).CopyTo(buffer.AsSpan(keys.Count * length, length));
                next.Return();
                keys.Add(next.Key);
            }
            // Only full batches run mid-stream: the model is cheapest per image at its batch size.
            // Failures are passed on without waiting for a full batch once they fill one.
            if (keys.Count == options.BatchSize || failures.Count >= options.BatchSize)
                await FlushAsync(runModel: keys.Count == options.BatchSize).ConfigureAwait(false);
        }
        await FlushAsync(runModel: true).ConfigureAwait(false);
    }

    private readonly record struct Decoded<TKey>(TKey Key, float[]? Tensor, Exception? Error)
    {
        public void Return()
        {
            if (Tensor is not null) ArrayPool<float>.Shared.Return(Tensor);
        }
    }
}
