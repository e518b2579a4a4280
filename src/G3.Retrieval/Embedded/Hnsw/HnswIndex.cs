using System.Globalization;
using Cloud.Unum.USearch;

namespace G3.Retrieval.Embedded.Hnsw;

/// <summary>
/// A finished USearch index served as a memory-mapped view of its file (nothing is copied into the heap;
/// the pages are shared page cache like the store's vectors), with its cells (<see cref="CellIndex"/>, a few MB,
/// loaded) and the vectors in cell order (<see cref="CellVectors"/>, in memory or mapped). The graph and the cells only propose
/// candidate rows: the store rescores them exactly from the copy of its own bytes, so scores and order are the exact
/// scan's on those rows.
/// </summary>
internal sealed class HnswIndex : IDisposable
{
    private readonly USearchIndex _index;

    /// <summary>USearch keeps one search context per concurrent caller; more callers than contexts wait here (<see cref="Enter"/>).</summary>
    private readonly SemaphoreSlim _contexts;
    private readonly int _contextCount;
    private bool _disposed;

    private HnswIndex(USearchIndex index, HnswRecord record, CellIndex cells, CellVectors cellVectors, int contexts)
    {
        _index = index;
        Record = record;
        Cells = cells;
        CellVectors = cellVectors;
        _contexts = new SemaphoreSlim(contexts, contexts);
        _contextCount = contexts;
    }

    public HnswRecord Record { get; }

    /// <summary>The cells of the same rows.</summary>
    public CellIndex Cells { get; }

    /// <summary>The same rows' vectors in cell order.</summary>
    public CellVectors CellVectors { get; }

    /// <summary>Rows [0, Rows) are indexed; later rows are scanned exactly.</summary>
    public int Rows => Record.Rows;

    /// <summary>
    /// Opens the index hnsw.json names, or explains why there is none to use (never built, a build
    /// interrupted before its first finish, or built from another store); the store then scans exactly.
    /// </summary>
    public static HnswIndex? TryOpen(string directory, StoreManifest manifest, HnswSettings settings, out string status)
    {
        var files = new HnswFiles(directory);
        var record = HnswRecord.TryRead(files.Record);
        if (record is null)
        {
            status = System.IO.File.Exists(files.PartialRecord)
                ? "hnsw index unfinished (a build was interrupted; run g3 index to resume it): exact scan"
                : "hnsw index not built (run g3 index): exact scan";
            return null;
        }
        var path = files.PathOf(record.File);
        if (record.ModelId != manifest.ModelId || record.Dimension != manifest.Dimension || record.Rows > manifest.Rows ||
            (record.Rows == manifest.Rows && record.VectorsCrc32C != manifest.VectorsCrc32C) || !System.IO.File.Exists(path))
        {
            status = "hnsw index does not match this store's vectors (run g3 index to rebuild it): exact scan";
            return null;
        }
        var cells = record.CellsFile.Length == 0 ? null : CellIndex.TryLoad(files.PathOf(record.CellsFile), record.Dimension, record.Rows);
        if (cells is null)
        {
            status = "hnsw index has no usable cells file (run g3 index to rebuild it): exact scan";
            return null;
        }
        var cellVectors = record.CellVectorsFile.Length == 0 ? null
            : CellVectors.TryOpen(files.PathOf(record.CellVectorsFile), cells, manifest.Element, record.CellVectorsCrc32C, settings.CellVectorsInMemory);
        if (cellVectors is null)
        {
            status = "hnsw index has no usable cell-ordered vectors file (run g3 index to rebuild it): exact scan";
            return null;
        }
        var contexts = Math.Max(64, 4 * Environment.ProcessorCount);
        USearchIndex index;
        try
        {
            index = new USearchIndex(path, view: true);
        }
        catch (USearchException e)
        {
            cellVectors.Dispose();
            status = $"hnsw index {record.File} is unreadable ({e.Message}; run g3 index to rebuild it): exact scan";
            return null;
        }
        try
        {
            USearchNative.SetThreads(index, add: 1, search: contexts);
            USearchNative.SetExpansion(index, add: record.EfConstruction, search: settings.EfSearch);
        }
        catch
        {
            index.Dispose();
            cellVectors.Dispose();
            throw;
        }
        status = string.Create(CultureInfo.InvariantCulture,
            $"hnsw index of {record.Rows} rows (M {record.Connectivity}, efConstruction {record.EfConstruction}, {record.Storage.ToString().ToLowerInvariant()}; {record.Cells} cells; efSearch {settings.EfSearch}, near candidates {settings.NearCandidates}, near cells {settings.NearCells}, far cells {settings.FarCells}, far rows {settings.FarRows}; cell vectors {(cellVectors.InMemory ? "in memory" : "mapped")})");
        return new HnswIndex(index, record, cells, cellVectors, contexts);
    }

    /// <summary>
    /// Takes one search context: the graph and the mapped cell vectors stay valid until <see cref="Exit"/>.
    /// Throws when the index has been disposed.
    /// </summary>
    public void Enter()
    {
        _contexts.Wait();
        if (!_disposed) return;
        _contexts.Release();
        throw new ObjectDisposedException(nameof(HnswIndex));
    }

    public void Exit() => _contexts.Release();

    /// <summary>Up to <paramref name="count"/> candidate rows nearest to <paramref name="query"/> by inner product (inside <see cref="Enter"/>).</summary>
    public int[] Search(ReadOnlySpan<float> query, int count)
    {
        var found = _index.Search(query.ToArray(), count, out var keys, out _);
        var rows = new int[found];
        for (var i = 0; i < found; i++) rows[i] = checked((int)keys[i]);
        return rows;
    }

    public void Dispose()
    {
        if (_disposed) return;
        // Take every search context first, so no search is still reading the native index or the cell vectors when they are freed.
        for (var i = 0; i < _contextCount; i++) _contexts.Wait();
        _disposed = true;
        _index.Dispose();
        CellVectors.Dispose();
    }
}
