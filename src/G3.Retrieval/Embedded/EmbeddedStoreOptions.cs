namespace G3.Retrieval.Embedded;

/// <summary>Where an embedded store lives and what it must hold; see <see cref="EmbeddedReferenceStore"/>.</summary>
public sealed record EmbeddedStoreOptions
{
    /// <summary>The store's own directory (created on Create; one store per directory).</summary>
    public required string Directory { get; init; }

    /// <summary>Id of the model that made the vectors; a store made by another model refuses to open.</summary>
    public required string ModelId { get; init; }

    /// <summary>Vector length; a store of another dimension refuses to open.</summary>
    public required int Dimension { get; init; }

    /// <summary>Storage precision, used when the store is created (an existing store keeps its own).</summary>
    public StoreElementType ElementType { get; init; } = StoreElementType.Float32;

    /// <summary>
    /// Open without the writer lock: upserts and deletes throw. Use it for serving a store another
    /// process indexes; it sees the state committed when it was opened.
    /// </summary>
    public bool ReadOnly { get; init; }

    /// <summary>Recompute the CRC-32C of all committed data at open (reads every byte once; about a second per few GB).</summary>
    public bool VerifyChecksums { get; init; } = true;

    /// <summary>
    /// Serve searches from the HNSW index beside the vectors (built by <see cref="EmbeddedReferenceStore.BuildHnswIndex"/>)
    /// with these search settings; null scans every row exactly. Without a usable index the store scans exactly.
    /// </summary>
    public Hnsw.HnswSettings? Hnsw { get; init; }

    /// <summary>Threads one search may use; the default is every core.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
            throw new ArgumentException("the store directory is empty", nameof(Directory));
        if (string.IsNullOrWhiteSpace(ModelId))
            throw new ArgumentException("the model id is empty: name the model whose vectors the store holds", nameof(ModelId));
        if (Dimension <= 0)
            throw new ArgumentOutOfRangeException(nameof(Dimension), Dimension, "the vector dimension must be positive");
        if (!Enum.IsDefined(ElementType))
            throw new ArgumentOutOfRangeException(nameof(ElementType), ElementType, "unknown element type");
        if (Hnsw?.Validate() is { Count: > 0 } problems)
            throw new ArgumentException(string.Join(" ", problems), nameof(Hnsw));
        if (MaxDegreeOfParallelism <= 0)
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "must be at least 1");
    }
}
