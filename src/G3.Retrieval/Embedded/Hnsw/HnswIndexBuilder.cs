using System.Diagnostics;
using System.Numerics.Tensors;
using Cloud.Unum.USearch;

namespace G3.Retrieval.Embedded.Hnsw;

/// <summary>
/// Builds the USearch index of a store's committed rows on every core. Crash-safe and resumable: rows go in
/// batch by batch; between batches (at most every <see cref="HnswBuildRun.CheckpointEvery"/>) the index is
/// saved aside and renamed over hnsw.partial.usearch, so a killed build loses at most that much work and the
/// next build continues from the checkpoint. Once every row is in the graph, the cells are computed
/// (<see cref="CellIndex"/>; cancelling then checkpoints the whole graph). The finished index, its cells and the
/// vectors in cell order (<see cref="CellVectors"/>) are saved under fresh names, flushed, renamed, and only then
/// published by replacing hnsw.json, which is the single commit point.
/// </summary>
internal static unsafe class HnswIndexBuilder
{
    /// <summary>Rows handed to the workers at a time: big enough to keep every core busy, small enough to checkpoint often.</summary>
    private const int BatchRows = 4096;

    public static HnswBuildResult Build(string directory, StoreSnapshot snapshot, StoreManifest manifest, HnswBuildRun run,
        IProgress<HnswBuildProgress>? progress, CancellationToken cancellationToken)
    {
        var settings = run.Settings;
        var files = new HnswFiles(directory);
        var clock = Stopwatch.StartNew();
        var threads = settings.Threads;
        var current = HnswRecord.TryRead(files.Record);
        if (current is not null && current.Rows == manifest.Rows && current.VectorsCrc32C == manifest.VectorsCrc32C &&
            current.SameShape(manifest.ModelId, manifest.Dimension, settings) && File.Exists(files.PathOf(current.File)) &&
            current.Cells == settings.CellCount(manifest.Rows) && CellsUsable(files, current, manifest))
            return new HnswBuildResult(manifest.Rows, manifest.Rows, threads, clock.Elapsed, current.File, Cancelled: false);

        var shape = new HnswRecord
        {
            ModelId = manifest.ModelId,
            Dimension = manifest.Dimension,
            Storage = settings.Storage,
            Connectivity = settings.Connectivity,
            EfConstruction = settings.EfConstruction,
        };
        using var index = StartingPoint(files, manifest, settings, shape, current);
        var start = checked((int)index.Size());
        USearchNative.SetThreads(index, add: threads, search: threads);
        USearchNative.SetExpansion(index, add: settings.EfConstruction, search: settings.EfSearch);
        // Capacity for every row up front: USearch refuses concurrent inserts that would have to grow the index.
        USearchNative.Reserve(index, manifest.Rows);

        var lastCheckpoint = Stopwatch.StartNew();
        var done = start;
        var cancelled = false;
        while (done < manifest.Rows)
        {
            if (cancellationToken.IsCancellationRequested) { cancelled = true; break; }
            var end = Math.Min(manifest.Rows, done + BatchRows);
            AddRows(index, snapshot, done, end, threads);
            done = end;
            var checkpoint = done < manifest.Rows && lastCheckpoint.Elapsed >= run.CheckpointEvery;
            if (checkpoint)
            {
                SaveCheckpoint(files, index);
                lastCheckpoint.Restart();
            }
            progress?.Report(new HnswBuildProgress(done, manifest.Rows, checkpoint));
        }
        var name = HnswFiles.NewIndexName(manifest.Rows);
        var cellVectorsName = HnswFiles.CellVectorsName(name);
        CellIndex? cells = null;
        var cellVectorsCrc = 0u;
        if (!cancelled)
        {
            try
            {
                cells = CellIndex.Build(snapshot, manifest.Rows, settings.CellCount(manifest.Rows), threads, cancellationToken);
                cellVectorsCrc = CellVectors.Write(snapshot, cells, files.PathOf(cellVectorsName) + ".tmp", cancellationToken);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                TryDelete(files.PathOf(cellVectorsName) + ".tmp");
            }
        }
        if (cancelled)
        {
            if (done > start) SaveCheckpoint(files, index);
            progress?.Report(new HnswBuildProgress(done, manifest.Rows, Checkpointed: done > start));
            return new HnswBuildResult(done, start, threads, clock.Elapsed, files.Partial, Cancelled: true);
        }

        var path = files.PathOf(name);
        index.Save(path + ".tmp");
        HnswRecord.FlushToDisk(path + ".tmp");
        File.Move(path + ".tmp", path, overwrite: true);
        var cellsName = HnswFiles.CellsName(name);
        cells!.Save(files.PathOf(cellsName) + ".tmp");
        File.Move(files.PathOf(cellsName) + ".tmp", files.PathOf(cellsName), overwrite: true);
        File.Move(files.PathOf(cellVectorsName) + ".tmp", files.PathOf(cellVectorsName), overwrite: true);
        (shape with
        {
            File = name,
            CellsFile = cellsName,
            Cells = cells.Count,
            CellVectorsFile = cellVectorsName,
            CellVectorsCrc32C = cellVectorsCrc,
            Rows = manifest.Rows,
            VectorsCrc32C = manifest.VectorsCrc32C,
            BuildSeconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
        }).WriteAtomically(files.Record);
        // Published; what earlier builds left is now garbage. A crash before this line only leaves garbage behind.
        foreach (var stale in files.Stale(name, cellsName, cellVectorsName)) TryDelete(stale);
        TryDelete(files.Partial);
        TryDelete(files.Partial + ".tmp");
        TryDelete(files.PartialRecord);
        return new HnswBuildResult(manifest.Rows, start, threads, clock.Elapsed, name, Cancelled: false);
    }

    /// <summary>Whether the finished index's cells and cell-ordered vectors are there and intact.</summary>
    private static bool CellsUsable(HnswFiles files, HnswRecord record, StoreManifest manifest)
    {
        if (record.CellsFile.Length == 0 || record.CellVectorsFile.Length == 0) return false;
        var cells = CellIndex.TryLoad(files.PathOf(record.CellsFile), manifest.Dimension, manifest.Rows);
        if (cells is null) return false;
        using var vectors = CellVectors.TryOpen(files.PathOf(record.CellVectorsFile), cells, manifest.Element, record.CellVectorsCrc32C, inMemory: false);
        return vectors is not null;
    }

    /// <summary>
    /// The index to continue: the checkpoint of an unfinished build of the same shape, else the current finished
    /// index when it has the same shape and covers a prefix of the rows (the store only grows) or all of them, else a new one.
    /// </summary>
    private static USearchIndex StartingPoint(HnswFiles files, StoreManifest manifest, HnswSettings settings, HnswRecord shape, HnswRecord? current)
    {
        var partial = HnswRecord.TryRead(files.PartialRecord);
        if (partial is not null && partial.SameShape(manifest.ModelId, manifest.Dimension, settings) && File.Exists(files.Partial))
        {
            var loaded = new USearchIndex(files.Partial, view: false);
            if ((long)loaded.Size() <= manifest.Rows && (long)loaded.Dimensions() == manifest.Dimension) return loaded;
            loaded.Dispose();
        }
        TryDelete(files.Partial);
        shape.WriteAtomically(files.PartialRecord);
        // Equal rows with the same checksum: only the cells change (another cell count, or an index from before them).
        var prefix = current is not null && (current.Rows < manifest.Rows || current.VectorsCrc32C == manifest.VectorsCrc32C);
        if (current is not null && prefix && current.SameShape(manifest.ModelId, manifest.Dimension, settings) &&
            File.Exists(files.PathOf(current.File)))
            return new USearchIndex(files.PathOf(current.File), view: false);
        return new USearchIndex(MetricKind.Ip, settings.Storage.ToScalarKind(), (ulong)manifest.Dimension,
            (ulong)settings.Connectivity, (ulong)settings.EfConstruction, (ulong)settings.EfSearch);
    }

    /// <summary>Adds rows [start, end) on <paramref name="threads"/> threads; key = row number. Deleted rows go in too
    /// (the index's size then equals the rows it covers); searches skip them.</summary>
    private static void AddRows(USearchIndex index, StoreSnapshot snapshot, int start, int end, int threads)
    {
        var dim = snapshot.Dimension;
        var half = snapshot.Element == StoreElementType.Float16;
        var basePointer = snapshot.VectorPointer;
        Parallel.For(start, end, new ParallelOptions { MaxDegreeOfParallelism = threads },
            () => new float[dim],
            (row, _, vector) =>
            {
                if (half) TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>((Half*)basePointer + (long)row * dim, dim), vector);
                else new ReadOnlySpan<float>((float*)basePointer + (long)row * dim, dim).CopyTo(vector);
                index.Add((ulong)row, vector);
                return vector;
            },
            _ => { });
    }

    private static void SaveCheckpoint(HnswFiles files, USearchIndex index)
    {
        var temp = files.Partial + ".tmp";
        index.Save(temp);
        HnswRecord.FlushToDisk(temp);
        File.Move(temp, files.Partial, overwrite: true);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A file left behind is only disk space; the next build removes it.
        }
    }
}
