using System.Diagnostics;
using System.Globalization;
using G3.Core.Ports;

namespace G3.Retrieval.Indexing;

/// <summary>
/// What an indexing run would do (<c>g3 index --dry-run</c>): the rows, how the shards split them,
/// the bytes of vectors they add, and how long this shard would take at the encoder's measured rate.
/// </summary>
/// <param name="Rows">Readable CSV rows (photos listed).</param>
/// <param name="BadRows">CSV rows that do not parse.</param>
/// <param name="ShardSizes">Photos per shard, shard 1 first (one entry when not sharded).</param>
/// <param name="Shard">The shard this run indexes.</param>
/// <param name="BytesPerVector">Bytes one stored vector takes (dimension × element size, plus any quantized copy).</param>
public sealed record IndexPlan(long Rows, long BadRows, IReadOnlyList<long> ShardSizes, IndexShard Shard, long BytesPerVector)
{
    public long ShardRows => ShardSizes[Shard.Number - 1];

    public long ShardVectorBytes => ShardRows * BytesPerVector;

    public long TotalVectorBytes => Rows * BytesPerVector;

    /// <summary>Counts the rows of every shard in one pass over the ids.</summary>
    public static async Task<IndexPlan> CountAsync(IAsyncEnumerable<string> ids, Func<long> badRows, IndexShard shard, long bytesPerVector,
        CancellationToken cancellationToken)
    {
        var sizes = new long[shard.Count];
        long rows = 0;
        await foreach (var id in ids.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            rows++;
            sizes[IndexShard.Of(id, shard.Count) - 1]++;
        }
        return new IndexPlan(rows, badRows(), sizes, shard, bytesPerVector);
    }

    /// <summary>"14.5 GB" style, powers of 1000 as disk and memory vendors count.</summary>
    public static string FormatBytes(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }
        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.##} {units[unit]}");
    }
}

/// <summary>
/// The encoder's throughput measured on real photos: per-image read + decode + preprocess time
/// (which the job spreads over its decode workers) and per-image model time at the run's batch
/// size (after one warm-up run). The job overlaps the two, so the slower side sets the rate.
/// </summary>
public sealed record EncoderRate(int Images, TimeSpan DecodePerImage, TimeSpan ModelPerImage, int DecodeWorkers)
{
    public double ImagesPerSecond
    {
        get
        {
            var decode = DecodeWorkers / Math.Max(DecodePerImage.TotalSeconds, 1e-9);
            var model = 1 / Math.Max(ModelPerImage.TotalSeconds, 1e-9);
            return Math.Min(decode, model);
        }
    }

    public TimeSpan Estimate(long images) => TimeSpan.FromSeconds(images / ImagesPerSecond);

    /// <summary>Measures on up to <paramref name="batchSize"/> readable images among the first items; null when none is readable.</summary>
    public static async Task<EncoderRate?> MeasureAsync(IImageBatchEncoder encoder, IAsyncEnumerable<IndexItem> items, int batchSize, int decodeWorkers,
        CancellationToken cancellationToken)
    {
        var tensors = new List<float[]>(batchSize);
        var decode = TimeSpan.Zero;
        var tried = 0;
        await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (tensors.Count == batchSize || tried++ >= batchSize * 4) break;
            try
            {
                var tensor = new float[encoder.TensorLength];
                // The first readable photo is decoded once untimed: codec libraries load and warm up on first use.
                if (tensors.Count == 0) encoder.Preprocess(await File.ReadAllBytesAsync(item.ImagePath, cancellationToken).ConfigureAwait(false), tensor);
                var clock = Stopwatch.StartNew();
                var bytes = await File.ReadAllBytesAsync(item.ImagePath, cancellationToken).ConfigureAwait(false);
                encoder.Preprocess(bytes, tensor);
                decode += clock.Elapsed;
                tensors.Add(tensor);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Unreadable photos are the job's report's business; the rate is measured on readable ones.
            }
        }
        if (tensors.Count == 0) return null;

        var batch = new float[tensors.Count * encoder.TensorLength];
        for (var i = 0; i < tensors.Count; i++) tensors[i].CopyTo(batch, i * encoder.TensorLength);
        await encoder.EncodeTensorAsync(batch, tensors.Count, cancellationToken).ConfigureAwait(false); // warm-up
        var model = Stopwatch.StartNew();
        await encoder.EncodeTensorAsync(batch, tensors.Count, cancellationToken).ConfigureAwait(false);
        return new EncoderRate(tensors.Count, decode / tensors.Count, model.Elapsed / tensors.Count, decodeWorkers);
    }
}
