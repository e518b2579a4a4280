namespace G3.Retrieval.Embedded;

/// <summary>How the embedded store answers searches (<c>Store:Embedded:Index</c>, written in lower case).</summary>
public enum EmbeddedIndex
{
    /// <summary>Scan every row (exact; the default).</summary>
    Exact,

    /// <summary>Ask the USearch HNSW index beside the vectors for candidates and rescore them exactly.</summary>
    Hnsw,
}
