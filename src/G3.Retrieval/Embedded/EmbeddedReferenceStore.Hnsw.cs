using G3.Core.Ports;
using G3.Retrieval.Embedded.Hnsw;

namespace G3.Retrieval.Embedded;

/// <summary>
/// The store's optional HNSW index (Store:Embedded:Index=hnsw): the graph (with the nearest cells) proposes the most
/// similar rows, the cells least similar to the query the least similar (<see cref="CellIndex"/>). The index only
/// proposes candidate rows; every result is rescored exactly from a cell-ordered copy of the store's vectors
/// (<see cref="CellVectors"/>), rows added since the build are scanned exactly, and deleted rows are skipped, so the
/// store's contract is the same with or without it.
/// </summary>
public sealed partial class EmbeddedReferenceStore
{
    /// <summary>Above this many results a search scans exactly: HNSW answers small k, and "all rows" is a scan anyway.</summary>
    private const int MaxHnswResults = 4096;

    /// <summary>Extra candidates asked for per deleted row (up to this many), since deleted rows are dropped after the search.</summary>
    private const int MaxDeadOversample = 1024;

    private HnswIndex? _hnsw;
    private readonly List<HnswIndex> _retiredIndexes = [];
    private string _indexStatus = "exact scan";

    /// <summary>How searches are answered: "exact scan", or the HNSW index in use (or why none is).</summary>
    public string IndexStatus => Volatile.Read(ref _indexStatus);

    /// <summary>Rows the HNSW index in use covers; 0 when searches scan exactly.</summary>
    public int HnswRows => Volatile.Read(ref _hnsw)?.Rows ?? 0;

    private void OpenHnswIndex()
    {
        if (_options.Hnsw is not { } settings) return;
        var index = HnswIndex.TryOpen(_files.Directory, _manifest, settings, out var status);
        var previous = Interlocked.Exchange(ref _hnsw, index);
        if (previous is not null) lock (_retiredIndexes) _retiredIndexes.Add(previous);
        Volatile.Write(ref _indexStatus, status);
    }

    /// <summary>
    /// Builds (or resumes, or extends) the HNSW index of the committed rows on every core, then serves searches
    /// from it. Needs the writer lock, so two builds never share the checkpoint. Cancellation checkpoints and returns.
    /// </summary>
    public HnswBuildResult BuildHnswIndex(HnswBuildRun run, IProgress<HnswBuildProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writer is null)
            throw new ReferenceStoreException($"the store at {Directory} is open read-only; open it for writing to build its HNSW index");
        if (run.Settings.Validate() is { Count: > 0 } problems) throw new ArgumentException(string.Join(" ", problems), nameof(run));
        _writeGate.Wait(cancellationToken);
        try
        {
            var snapshot = AcquireSnapshot();
            try
            {
                var result = HnswIndexBuilder.Build(_files.Directory, snapshot, _manifest, run, progress, cancellationToken);
                if (_options.Hnsw is not null) OpenHnswIndex();
                return result;
            }
            finally
            {
                snapshot.Release();
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>The HNSW answer for each query, or null when this search should scan exactly.</summary>
    private ReferenceNeighbours[]? TrySearchHnsw(StoreSnapshot snapshot, IReadOnlyList<ReadOnlyMemory<float>> queries, float[] packed,
        int kMost, int kLeast, CancellationToken cancellationToken)
    {
        var index = Volatile.Read(ref _hnsw);
        if (index is null || index.Rows > snapshot.Rows || kMost > MaxHnswResults || kLeast > MaxHnswResults) return null;
        var settings = _options.Hnsw!;
        var extra = Math.Min(snapshot.Rows - snapshot.LiveRows, MaxDeadOversample);
        var results = new ReferenceNeighbours[queries.Count];
        var dim = Dimension;
        for (var q = 0; q < queries.Count; q++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var query = packed.AsSpan(q * dim, dim);
            index.Enter();
            try
            {
                results[q] = SearchHnsw(index, settings, snapshot, query, kMost, kLeast, extra, cancellationToken);
            }
            finally
            {
                index.Exit();
            }
        }
        return results;
    }

    /// <summary>
    /// One query: the near end from the graph, oversampled, and the members of the NearCells cells most similar to
    /// the query; the far end from the members of the FarCells least similar cells (and more, up to FarRows rows). Whole cells are read as contiguous
    /// runs of the cell-ordered copy; the graph's candidates outside them one by one from the same copy.
    /// </summary>
    private ReferenceNeighbours SearchHnsw(HnswIndex index, HnswSettings settings, StoreSnapshot snapshot, Span<float> query,
        int kMost, int kLeast, int extra, CancellationToken cancellationToken)
    {
        var cells = index.Cells;
        var order = kLeast > 0 || settings.NearCells > 0 ? cells.Order(query) : [];
        var chosen = new List<int>();
        if (kMost > 0 && settings.NearCells > 0) chosen.AddRange(cells.Choose(order, settings.NearCells, kMost + extra, fromEnd: true));
        if (kLeast > 0)
            foreach (var cell in cells.Choose(order, settings.FarCells, Math.Max(kLeast + extra, settings.FarRows), fromEnd: false))
                if (!chosen.Contains(cell)) chosen.Add(cell);
        var runs = chosen.Select(cells.Range).ToList();
        var positions = new List<int>();
        if (kMost > 0)
        {
            var where = cells.Positions;
            foreach (var row in index.Search(query, Math.Max(kMost + extra, settings.NearCandidates)))
            {
                var position = where[row];
                if (!runs.Exists(run => position >= run.Start && position < run.End)) positions.Add(position);
            }
            // Ascending positions read the copy forwards.
            positions.Sort();
        }
        var scan = ExactScan.RunCells(snapshot, query.ToArray(), index.CellVectors, cells.MembersInOrder, runs, positions, index.Rows,
            kMost, kLeast, _options.MaxDegreeOfParallelism, cancellationToken);
        return new ReferenceNeighbours(ToPhotos(snapshot, scan.Most?[0]), ToPhotos(snapshot, scan.Least?[0]));
    }

    private void DisposeHnswIndexes()
    {
        Interlocked.Exchange(ref _hnsw, null)?.Dispose();
        lock (_retiredIndexes)
        {
            foreach (var index in _retiredIndexes) index.Dispose();
            _retiredIndexes.Clear();
        }
    }
}
