using System.Numerics.Tensors;

namespace G3.Retrieval.Embedded;

/// <summary>
/// Exact top-k by inner product over one snapshot: rows are split into chunks scanned in parallel,
/// each worker keeps its own heaps, and the heaps are merged at the end. Inside a chunk, rows are
/// taken a cache-sized block at a time (float16 blocks are widened to float32 first) and every query
/// of the batch is scored against the block before moving on, so memory is read once per batch.
/// A single float16 query widens in registers instead (no buffer). The kernels are
/// <see cref="WideKernels"/>/<see cref="WideHalfKernels"/> where 512-bit vectors are accelerated,
/// else <see cref="DotKernels"/>/<see cref="HalfKernels"/>; one machine always uses one family, so
/// every path scores a (row, query) pair bit-identically.
/// </summary>
internal static unsafe class ExactScan
{
    /// <summary>Rows per block: 32 rows × 768 float32 = 96 KiB, comfortably inside L2 with the queries.</summary>
    private const int BlockRows = 32;

    /// <summary>Below this many scalar products a scan stays on the calling thread.</summary>
    private const long ParallelThreshold = 1L << 21;

    public sealed record Result(TopKCollector[]? Most, TopKCollector[]? Least);

    /// <param name="queries">queryCount × dimension floats, validated by the caller.</param>
    /// <param name="firstRow">Scan rows [firstRow, Rows) only (the rows an HNSW index does not cover yet).</param>
    public static Result Run(StoreSnapshot snapshot, float[] queries, int queryCount, int kMost, int kLeast,
        int maxDegreeOfParallelism, CancellationToken cancellationToken, int firstRow = 0)
    {
        var rows = snapshot.Rows;
        var dim = snapshot.Dimension;
        var most = kMost > 0 ? NewCollectors(queryCount, kMost, leastSimilar: false) : null;
        var least = kLeast > 0 ? NewCollectors(queryCount, kLeast, leastSimilar: true) : null;
        if (rows <= firstRow || (most is null && least is null)) return new Result(most, least);

        var work = (long)(rows - firstRow) * dim * queryCount;
        var workers = work < ParallelThreshold ? 1 : Math.Max(1, maxDegreeOfParallelism);
        if (workers == 1)
        {
            var state = new Worker(snapshot, queries, queryCount, kMost, kLeast);
            for (var start = firstRow; start < rows; start += BlockRows * 256)
            {
                cancellationToken.ThrowIfCancellationRequested();
                state.Scan(start, Math.Min(rows, start + BlockRows * 256));
            }
            state.MergeInto(most, least);
            return new Result(most, least);
        }

        // A few chunks per worker so a slow (shared) core does not hold the others back.
        var chunkRows = Math.Max(BlockRows * 16, ((rows - firstRow) / (workers * 8) + BlockRows - 1) / BlockRows * BlockRows);
        var chunks = (rows - firstRow + chunkRows - 1) / chunkRows;
        var gate = new object();
        Parallel.For(0, chunks,
            new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
            () => new Worker(snapshot, queries, queryCount, kMost, kLeast),
            (chunk, _, state) =>
            {
                var start = firstRow + chunk * chunkRows;
                state.Scan(start, Math.Min(rows, start + chunkRows));
                return state;
            },
            state => { lock (gate) state.MergeInto(most, least); });
        return new Result(most, least);
    }

    /// <summary>
    /// Exact top-k of one query over an HNSW index's candidates, read from the cell-ordered copy of the vectors
    /// (<see cref="Hnsw.CellVectors"/>): whole cells as contiguous runs of positions, single positions (the graph's
    /// candidates, none inside a run), and every row from <paramref name="tailStart"/> on from the store itself.
    /// <paramref name="rowOf"/> maps a position to its row. The copy holds the store's bytes and the kernels are the
    /// same, so a row's score is the one a full scan gives it.
    /// </summary>
    public static Result RunCells(StoreSnapshot snapshot, float[] query, Hnsw.CellVectors copy, int[] rowOf,
        IReadOnlyList<(int Start, int End)> runs, IReadOnlyList<int> positions, int tailStart, int kMost, int kLeast,
        int maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        var result = Run(snapshot, query, 1, kMost, kLeast, maxDegreeOfParallelism, cancellationToken, firstRow: tailStart);
        if (result.Most is null && result.Least is null) return result;
        var worker = new Worker(snapshot, query, 1, kMost, kLeast);
        fixed (int* rows = rowOf)
        {
            foreach (var (start, end) in runs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                worker.Scan(start, end, copy.Data, rows);
            }
            for (var i = 0; i < positions.Count; i++)
            {
                // The graph's candidates are scattered: ask for a row a few ahead while this one is scored, so
                // several rows' memory reads are in flight at once rather than one row's latency after another's.
                if (i + PrefetchAhead < positions.Count) Prefetch(copy.PositionPointer(positions[i + PrefetchAhead]), copy.RowBytes);
                worker.Scan(positions[i], positions[i] + 1, copy.Data, rows);
            }
        }
        worker.MergeInto(result.Most, result.Least);
        return result;
    }

    /// <summary>How many candidate rows ahead <see cref="RunCells"/> prefetches.</summary>
    private const int PrefetchAhead = 4;

    private static void Prefetch(byte* start, long bytes)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported) return;
        for (long offset = 0; offset < bytes; offset += 64) System.Runtime.Intrinsics.X86.Sse.Prefetch0(start + offset);
    }

    private static TopKCollector[] NewCollectors(int count, int k, bool leastSimilar)
    {
        var collectors = new TopKCollector[count];
        for (var i = 0; i < count; i++) collectors[i] = new TopKCollector(k, leastSimilar);
        return collectors;
    }

    /// <summary>One thread's buffers and heaps.</summary>
    private sealed class Worker
    {
        private readonly StoreSnapshot _snapshot;
        private readonly float[] _queries;
        private readonly int _queryCount;
        private readonly TopKCollector[]? _most;
        private readonly TopKCollector[]? _least;
        private readonly float[] _scores;
        private readonly float[]? _widened;

        public Worker(StoreSnapshot snapshot, float[] queries, int queryCount, int kMost, int kLeast)
        {
            _snapshot = snapshot;
            _queries = queries;
            _queryCount = queryCount;
            _most = kMost > 0 ? NewCollectors(queryCount, kMost, leastSimilar: false) : null;
            _least = kLeast > 0 ? NewCollectors(queryCount, kLeast, leastSimilar: true) : null;
            _scores = GC.AllocateUninitializedArray<float>(BlockRows * queryCount, pinned: true);
            if (snapshot.Element == StoreElementType.Float16)
            {
                _widened = GC.AllocateUninitializedArray<float>(BlockRows * snapshot.Dimension, pinned: true);
                if (queryCount == 1 && WideHalfKernels.IsSupported)
                {
                    var scaled = GC.AllocateUninitializedArray<float>(snapshot.Dimension, pinned: true);
                    if (WideHalfKernels.TryScaleQuery(queries.AsSpan(0, snapshot.Dimension), scaled)) _scaledQuery = scaled;
                }
            }
        }

        /// <summary>The single query × 2^112 for <see cref="WideHalfKernels"/>; null where that path is not taken.</summary>
        private readonly float[]? _scaledQuery;

        /// <summary>
        /// Scores rows [start, end) of the store, or, given <paramref name="source"/>, positions [start, end) of that
        /// copy of the vectors, whose rows <paramref name="rowOf"/> names.
        /// </summary>
        public void Scan(int start, int end, byte* source = null, int* rowOf = null)
        {
            var dim = _snapshot.Dimension;
            var basePointer = source is null ? _snapshot.VectorPointer : source;
            var wide = WideKernels.IsSupported;
            fixed (float* queries = _queries)
            fixed (float* scores = _scores)
            fixed (float* widened = _widened)
            fixed (float* scaledQuery = _scaledQuery)
            {
                for (var r0 = start; r0 < end; r0 += BlockRows)
                {
                    var n = Math.Min(BlockRows, end - r0);
                    if (_widened is not null && _queryCount == 1)
                    {
                        // One query: widen in registers rather than through a buffer (same scores, less memory traffic).
                        var halves = (Half*)basePointer + (long)r0 * dim;
                        if (scaledQuery is not null)
                        {
                            WideHalfKernels.ScoreRows(halves, n, scaledQuery, queries, dim, scores);
                            Collect(scores, r0, n, rowOf);
                            continue;
                        }
                        if (!wide && HalfKernels.IsSupported)
                        {
                            HalfKernels.ScoreRows(halves, n, queries, dim, scores);
                            Collect(scores, r0, n, rowOf);
                            continue;
                        }
                    }
                    float* block;
                    if (_widened is null)
                    {
                        block = (float*)basePointer + (long)r0 * dim;
                    }
                    else
                    {
                        var halves = new ReadOnlySpan<Half>((Half*)basePointer + (long)r0 * dim, n * dim);
                        TensorPrimitives.ConvertToSingle(halves, new Span<float>(widened, n * dim));
                        block = widened;
                    }
                    if (wide)
                    {
                        if (_queryCount == 1) WideKernels.ScoreRows(block, n, queries, dim, scores);
                        else WideKernels.ScoreBlock(block, n, queries, _queryCount, dim, scores, BlockRows);
                    }
                    else
                    {
                        if (_queryCount == 1) DotKernels.ScoreRows(block, n, queries, dim, scores);
                        else DotKernels.ScoreBlock(block, n, queries, _queryCount, dim, scores, BlockRows);
                    }
                    Collect(scores, r0, n, rowOf);
                }
            }
        }

        private void Collect(float* scores, int first, int n, int* rowOf)
        {
            for (var q = 0; q < _queryCount; q++)
            {
                var s = scores + q * BlockRows;
                var most = _most?[q];
                var least = _least?[q];
                for (var i = 0; i < n; i++)
                {
                    var score = s[i];
                    var row = rowOf is null ? first + i : rowOf[first + i];
                    var toMost = most is not null && most.MightAccept(score);
                    var toLeast = least is not null && least.MightAccept(score);
                    if ((!toMost && !toLeast) || _snapshot.IsDead(row)) continue;
                    if (toMost) most!.Offer(score, row);
                    if (toLeast) least!.Offer(score, row);
                }
            }
        }

        public void MergeInto(TopKCollector[]? most, TopKCollector[]? least)
        {
            for (var q = 0; q < _queryCount; q++)
            {
                if (most is not null) most[q].MergeFrom(_most![q]);
                if (least is not null) least[q].MergeFrom(_least![q]);
            }
        }
    }
}
