namespace G3.Retrieval.Embedded.Hnsw;

/// <summary>How far an HNSW build is: rows indexed of the rows to index, and whether that point is checkpointed on disk.</summary>
public sealed record HnswBuildProgress(int Indexed, int Total, bool Checkpointed);

/// <summary>
/// What <c>g3 index</c>'s HNSW build did: the rows the index covers, the row it resumed from (0 for a fresh
/// build, the store's row count when it was already up to date), its wall time and rate, and the file it wrote.
/// </summary>
public sealed record HnswBuildResult(int Rows, int ResumedFrom, int Threads, TimeSpan Elapsed, string File, bool Cancelled)
{
    /// <summary>Rows added per second by this run.</summary>
    public double VectorsPerSecond => Elapsed.TotalSeconds > 0 ? (Rows - ResumedFrom) / Elapsed.TotalSeconds : 0;
}
