namespace G3.Retrieval;

/// <summary>
/// The reference store backends, written in configuration (<c>Store:Kind</c>) as their lower-case names.
/// A new backend is one folder beside Embedded/ and Qdrant/ plus one value here; every switch in
/// <see cref="ReferenceStores"/> then fails to compile until it says how to open and describe the new kind.
/// </summary>
public enum StoreKind
{
    /// <summary>A directory on this machine: exact scan over memory-mapped vectors (the default).</summary>
    Embedded,

    /// <summary>A collection on a Qdrant server, over gRPC.</summary>
    Qdrant,
}
