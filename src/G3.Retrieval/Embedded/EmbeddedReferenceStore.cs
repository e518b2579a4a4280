using System.Globalization;
using G3.Core.Candidates;
using G3.Core.Ports;

namespace G3.Retrieval.Embedded;

/// <summary>
/// The default reference store: an exact inner-product index in one directory, no server.
/// Vectors (float32 or float16) and payloads live in append-only files read through memory maps;
/// searches scan every row with SIMD on all cores and keep the exact top-k (ties: lower row first).
/// Writes are crash-safe: new rows become visible only once durable and published by an atomic
/// manifest replace (see <see cref="UpsertAsync"/>). Many concurrent readers, one writer.
/// </summary>
public sealed partial class EmbeddedReferenceStore : IReferenceStore, IDisposable
{
    private readonly StoreFiles _files;
    private readonly EmbeddedStoreOptions _options;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly object _idsGate = new();
    private readonly Dictionary<string, int> _rowsById;
    private readonly StoreWriter? _writer;
    private StoreManifest _manifest;
    private StoreSnapshot _current;
    private bool _disposed;

    private EmbeddedReferenceStore(StoreFiles files, EmbeddedStoreOptions options, StoreManifest manifest,
        StoreLoader.Loaded loaded, StoreWriter? writer)
    {
        _files = files;
        _options = options;
        _manifest = manifest;
        _current = loaded.Snapshot;
        _rowsById = loaded.RowsById;
        _writer = writer;
        OpenHnswIndex();
    }

    public int Dimension => _manifest.Dimension;

    /// <summary>The model whose vectors the store holds (recorded at creation).</summary>
    public string ModelId => _manifest.ModelId;

    public StoreElementType ElementType => _manifest.Element;

    public string Directory => _files.Directory;

    public bool IsReadOnly => _writer is null;

    /// <summary>Live (not deleted) rows in the committed state.</summary>
    public long Count => Volatile.Read(ref _current).LiveRows;

    /// <summary>Whether a live row has this id (an indexing job uses it to resume).</summary>
    public bool Contains(string id)
    {
        lock (_idsGate) return _rowsById.ContainsKey(id);
    }

    /// <summary>Creates an empty store in <paramref name="directory"/> (which may exist but must not hold a store).</summary>
    public static EmbeddedReferenceStore Create(string directory, int dimension, string modelId,
        StoreElementType elementType = StoreElementType.Float32) =>
        Create(new EmbeddedStoreOptions { Directory = directory, Dimension = dimension, ModelId = modelId, ElementType = elementType });

    /// <summary>Opens an existing store for reading and writing, refusing one of another model or dimension.</summary>
    public static EmbeddedReferenceStore Open(string directory, string expectedModelId, int expectedDimension) =>
        Open(new EmbeddedStoreOptions { Directory = directory, Dimension = expectedDimension, ModelId = expectedModelId });

    public static EmbeddedReferenceStore Create(EmbeddedStoreOptions options)
    {
        options.Validate();
        var files = new StoreFiles(options.Directory);
        if (File.Exists(files.Manifest))
            throw new ReferenceStoreException($"{files.Directory} already holds a store; open it instead of creating one");
        if (options.ReadOnly)
            throw new ArgumentException("a new store cannot be created read-only", nameof(options));
        System.IO.Directory.CreateDirectory(files.Directory);
        foreach (var path in new[] { files.Vectors, files.Payloads, files.Tombstones })
            using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite))
                stream.Flush(flushToDisk: true);
        // The manifest goes last: until it exists, the directory holds no store.
        new StoreManifest
        {
            Dimension = options.Dimension,
            ElementType = options.ElementType.ToManifestName(),
            ModelId = options.ModelId,
        }.WriteAtomically(files.Manifest);
        return Open(options);
    }

    public static EmbeddedReferenceStore Open(EmbeddedStoreOptions options)
    {
        options.Validate();
        var files = new StoreFiles(options.Directory);
        if (!File.Exists(files.Manifest))
            throw new ReferenceStoreException(
                $"no embedded reference store at {files.Directory} (manifest.json is missing); create one first");

        StoreWriter? writer = options.ReadOnly ? null : StoreWriter.AcquireLock(files);
        try
        {
            var manifest = StoreManifest.Read(files.Manifest);
            CheckExpectations(files, manifest, options);
            StoreLoader.CheckCommittedLengths(files, manifest);
            // Bytes past the committed lengths are an append that never committed: drop them.
            writer?.OpenDataFiles(manifest);
            var loaded = StoreLoader.Load(files, manifest, options.VerifyChecksums);
            return new EmbeddedReferenceStore(files, options, manifest, loaded, writer);
        }
        catch
        {
            writer?.Dispose();
            throw;
        }
    }

    /// <summary>Opens the store, or creates it (with the options' element type) when the directory holds none.</summary>
    public static EmbeddedReferenceStore OpenOrCreate(EmbeddedStoreOptions options)
    {
        options.Validate();
        return File.Exists(new StoreFiles(options.Directory).Manifest) ? Open(options) : Create(options);
    }

    private static void CheckExpectations(StoreFiles files, StoreManifest manifest, EmbeddedStoreOptions options)
    {
        var problems = new List<string>();
        if (!string.Equals(manifest.ModelId, options.ModelId, StringComparison.Ordinal))
            problems.Add($"it was made by model '{manifest.ModelId}' but model '{options.ModelId}' is configured");
        if (manifest.Dimension != options.Dimension)
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"it holds {manifest.Dimension}-dimensional vectors but {options.Dimension} are expected"));
        if (problems.Count > 0)
            throw new StoreMismatchException(
                $"the reference store at {files.Directory} does not fit: {string.Join("; ", problems)}. " +
                "Rebuild the store with the configured model, or configure the model it was built with.");
    }

    public Task<IReadOnlyList<ReferencePhoto>> SearchAsync(ReadOnlyMemory<float> query, int k, CancellationToken cancellationToken)
    {
        var result = Search([query], k, 0, cancellationToken);
        return Task.FromResult(result[0].Similar);
    }

    public Task<IReadOnlyList<ReferencePhoto>> SearchLeastSimilarAsync(ReadOnlyMemory<float> query, int k, CancellationToken cancellationToken)
    {
        var result = Search([query], 0, k, cancellationToken);
        return Task.FromResult(result[0].Dissimilar);
    }

    /// <summary>Several queries in one pass over memory: each block of rows is scored against every query.</summary>
    public Task<IReadOnlyList<IReadOnlyList<ReferencePhoto>>> SearchBatchAsync(
        IReadOnlyList<ReadOnlyMemory<float>> queries, int k, CancellationToken cancellationToken)
    {
        var result = Search(queries, k, 0, cancellationToken);
        return Task.FromResult<IReadOnlyList<IReadOnlyList<ReferencePhoto>>>(result.Select(r => r.Similar).ToArray());
    }

    /// <summary>The k most and the kLeast least similar references of one query, in a single scan.</summary>
    public Task<ReferenceNeighbours> SearchNeighboursAsync(ReadOnlyMemory<float> query, int k, int kLeast, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(kLeast);
        if (k + kLeast == 0) return Task.FromResult(new ReferenceNeighbours([], []));
        return Task.FromResult(Search([query], k, kLeast, cancellationToken)[0]);
    }

    public Task<IReadOnlySet<string>> FindExistingAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_idsGate)
            return Task.FromResult<IReadOnlySet<string>>(ids.Where(id => id is not null && _rowsById.ContainsKey(id)).ToHashSet(StringComparer.Ordinal));
    }

    public Task<long> CountAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Task.FromResult(Count);
    }

    private ReferenceNeighbours[] Search(IReadOnlyList<ReadOnlyMemory<float>> queries, int kMost, int kLeast, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (kMost < 0 || kLeast < 0 || kMost + kLeast == 0)
            throw new ArgumentOutOfRangeException(kLeast > 0 ? nameof(kLeast) : "k", kMost + kLeast,
                "the number of references to return must be at least 1");
        var packed = QueryValidation.Pack(queries, Dimension, ModelId);
        cancellationToken.ThrowIfCancellationRequested();

        var snapshot = AcquireSnapshot();
        try
        {
            // Heaps no larger than the live rows: k may be huge (int.MaxValue means "all").
            var most = Math.Min(kMost, snapshot.LiveRows);
            var least = Math.Min(kLeast, snapshot.LiveRows);
            if (TrySearchHnsw(snapshot, queries, packed, most, least, cancellationToken) is { } approximate) return approximate;
            var scan = ExactScan.Run(snapshot, packed, queries.Count, most, least, _options.MaxDegreeOfParallelism, cancellationToken);
            var results = new ReferenceNeighbours[queries.Count];
            for (var q = 0; q < queries.Count; q++)
                results[q] = new ReferenceNeighbours(ToPhotos(snapshot, scan.Most?[q]), ToPhotos(snapshot, scan.Least?[q]));
            return results;
        }
        finally
        {
            snapshot.Release();
        }
    }

    private static ReferencePhoto[] ToPhotos(StoreSnapshot snapshot, TopKCollector? collector)
    {
        if (collector is null) return [];
        var hits = collector.ToSortedArray();
        var photos = new ReferencePhoto[hits.Length];
        for (var i = 0; i < hits.Length; i++)
            photos[i] = snapshot.ReadPayload(hits[i].Row, hits[i].Score);
        return photos;
    }

    /// <summary>The stored vector of a live id (widened to float32), or null; for checks and tests, not the search path.</summary>
    internal unsafe float[]? ReadVector(string id)
    {
        int row;
        lock (_idsGate)
            if (!_rowsById.TryGetValue(id, out row)) return null;
        var snapshot = AcquireSnapshot();
        try
        {
            var vector = new float[Dimension];
            var start = snapshot.VectorPointer + (long)row * Dimension * ElementType.ByteSize();
            if (ElementType == StoreElementType.Float32) new ReadOnlySpan<float>(start, Dimension).CopyTo(vector);
            else System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(start, Dimension), vector);
            return vector;
        }
        finally
        {
            snapshot.Release();
        }
    }

    private StoreSnapshot AcquireSnapshot()
    {
        while (true)
        {
            var snapshot = Volatile.Read(ref _current);
            if (snapshot.TryAcquire()) return snapshot;
            // Lost a race with a commit that retired this snapshot; the next read sees the new one.
            ObjectDisposedException.ThrowIf(_disposed, this);
        }
    }

    public void Dispose()
    {
        _writeGate.Wait();
        try
        {
            if (_disposed) return;
            _disposed = true;
            _current.Release();
            _writer?.Dispose();
            DisposeHnswIndexes();
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
