using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using G3.Core.Pipeline;
using G3.Core.Ports;

namespace G3.Retrieval.Indexing;

/// <summary>
/// Streams database photos into a reference store through bounded channels:
/// skip ids already stored → <see cref="BatchImageEncoder"/> (parallel read + decode + preprocess → batch →
/// one model run per batch) → batched upsert. Each upsert is committed by the store, so cancelling (Ctrl-C) keeps everything
/// indexed so far and a rerun resumes where it stopped. Unreadable images are counted and written to
/// a report, never abort the run.
/// </summary>
public sealed class IndexJob(IImageBatchEncoder encoder, IReferenceStore store, IndexOptions options)
{
    private const int ExistenceCheckChunk = 1024;

    public async Task<IndexSummary> RunAsync(
        IAsyncEnumerable<IndexItem> items, string? reportPath, Action<IndexProgress>? onProgress, CancellationToken cancellationToken)
    {
        options.EnsureValid();
        var clock = Stopwatch.StartNew();
        var counters = new Counters();
        var failures = Channel.CreateUnbounded<IndexFailure>();
        var toDecode = Channel.CreateBounded<IndexItem>(options.ChannelCapacity);
        void Report() => onProgress?.Invoke(counters.Snapshot(clock.Elapsed));

        // Stages share one token; the first stage to fail cancels the others.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ct = stop.Token;

        // Decode + preprocess in parallel and batching for the model are the encoders' batch pipeline.
        var pipeline = new BatchImageEncoder(encoder, new BatchEncodingOptions(options.BatchSize, options.DecodeWorkers, options.ChannelCapacity));
        var produce = Run(() => ProduceAsync(items, toDecode.Writer, counters, Report, ct), ex => toDecode.Writer.TryComplete(ex), stop);
        var encodeAndStore = Run(() => StoreAsync(pipeline.EncodeAsync(Sources(toDecode.Reader, ct), ct), failures.Writer, counters, Report, ct), _ => { }, stop);
        var writeReport = WriteReportAsync(failures.Reader, reportPath);

        var cancelled = false;
        try
        {
            await Task.WhenAll(produce, encodeAndStore).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
        }
        finally
        {
            failures.Writer.TryComplete();
            await writeReport.ConfigureAwait(false);
        }

        Report();
        var s = counters.Snapshot(clock.Elapsed);
        return new IndexSummary(s.Seen, s.Skipped, s.Indexed, s.Failed, s.Elapsed, cancelled,
            s.Failed > 0 ? reportPath : null);
    }

    /// <summary>Runs a stage, completes its output channel either way, and cancels the others if it fails.</summary>
    private static async Task Run(Func<Task> stage, Action<Exception?> complete, CancellationTokenSource stop)
    {
        try
        {
            await stage().ConfigureAwait(false);
            complete(null);
        }
        catch (Exception ex)
        {
            complete(ex);
            if (ex is not OperationCanceledException) await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task ProduceAsync(IAsyncEnumerable<IndexItem> items, ChannelWriter<IndexItem> output, Counters counters, Action report, CancellationToken ct)
    {
        var chunk = new List<IndexItem>(ExistenceCheckChunk);
        await foreach (var item in items.WithCancellation(ct).ConfigureAwait(false))
        {
            chunk.Add(item);
            if (chunk.Count == ExistenceCheckChunk)
            {
                await ForwardNewAsync(chunk, output, counters, ct).ConfigureAwait(false);
                report();
                chunk.Clear();
            }
        }
        await ForwardNewAsync(chunk, output, counters, ct).ConfigureAwait(false);
    }

    private async Task ForwardNewAsync(List<IndexItem> chunk, ChannelWriter<IndexItem> output, Counters counters, CancellationToken ct)
    {
        if (chunk.Count == 0) return;
        var existing = await store.FindExistingAsync(chunk.Select(i => i.Id).ToList(), ct).ConfigureAwait(false);
        var seenInChunk = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in chunk)
        {
            Interlocked.Increment(ref counters.Seen);
            // Already stored (resume) or listed twice in this chunk: skip.
            if (existing.Contains(item.Id) || !seenInChunk.Add(item.Id))
            {
                Interlocked.Increment(ref counters.Skipped);
                continue;
            }
            await output.WriteAsync(item, ct).ConfigureAwait(false);
        }
    }

    private static async IAsyncEnumerable<ImageSource<IndexItem>> Sources(ChannelReader<IndexItem> items, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var item in items.ReadAllAsync(ct).ConfigureAwait(false))
            yield return new ImageSource<IndexItem>(item, token => new ValueTask<byte[]>(File.ReadAllBytesAsync(item.ImagePath, token)));
    }

    private async Task StoreAsync(IAsyncEnumerable<IReadOnlyList<BatchEncodingResult<IndexItem>>> batches,
        ChannelWriter<IndexFailure> failures, Counters counters, Action report, CancellationToken ct)
    {
        await foreach (var batch in batches.WithCancellation(ct).ConfigureAwait(false))
        {
            var records = new List<ReferenceRecord>(batch.Count);
            foreach (var r in batch)
            {
                if (r.Embedding is { } e)
                {
                    records.Add(new ReferenceRecord(r.Key.Id, e.Retrieval, r.Key.Point, r.Key.Place));
                    continue;
                }
                Interlocked.Increment(ref counters.Failed);
                failures.TryWrite(new IndexFailure(r.Key.Id, r.Key.ImagePath, $"{r.Error!.GetType().Name}: {r.Error.Message}"));
            }
            if (records.Count == 0) continue;
            // The upsert is the commit point: once it returns, these rows survive a crash or Ctrl-C.
            await store.UpsertAsync(records, ct).ConfigureAwait(false);
            Interlocked.Add(ref counters.Indexed, records.Count);
            report();
        }
    }

    private static async Task WriteReportAsync(ChannelReader<IndexFailure> failures, string? reportPath)
    {
        StreamWriter? writer = null;
        try
        {
            await foreach (var f in failures.ReadAllAsync().ConfigureAwait(false))
            {
                if (reportPath is null) continue;
                if (writer is null)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(reportPath))!);
                    writer = new StreamWriter(reportPath, append: true);
                }
                await writer.WriteLineAsync($"{f.Id}\t{f.ImagePath}\t{f.Reason.ReplaceLineEndings(" ")}").ConfigureAwait(false);
            }
        }
        finally
        {
            if (writer is not null) await writer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed class Counters
    {
        public long Seen, Skipped, Indexed, Failed;

        public IndexProgress Snapshot(TimeSpan elapsed) => new(
            Interlocked.Read(ref Seen), Interlocked.Read(ref Skipped), Interlocked.Read(ref Indexed), Interlocked.Read(ref Failed), elapsed);
    }
}
