namespace G3.Retrieval.Embedded.Hnsw;

/// <summary>
/// The HNSW index's files inside a store directory. hnsw.json is the commit record: it names the one
/// complete index file in use and is replaced atomically, so a build killed at any moment leaves either
/// the previous index or none, never a half-written one. A build in progress checkpoints to
/// hnsw.partial.usearch (described by hnsw.partial.json) and resumes from it. Each finished index file
/// hnsw-ROWS-STAMP.usearch has its cells beside it in hnsw-ROWS-STAMP.cells and the vectors in cell order in
/// hnsw-ROWS-STAMP.cellvectors.
/// </summary>
internal sealed class HnswFiles(string directory)
{
    public string Directory { get; } = directory;

    /// <summary>The commit record: which complete index file serves, and what it covers.</summary>
    public string Record => Path.Combine(Directory, "hnsw.json");

    /// <summary>The last checkpoint of an unfinished build.</summary>
    public string Partial => Path.Combine(Directory, "hnsw.partial.usearch");

    /// <summary>What the checkpoint was built with, written before the first checkpoint.</summary>
    public string PartialRecord => Path.Combine(Directory, "hnsw.partial.json");

    /// <summary>A fresh name for a finished index: never the name of the file the current record points to.</summary>
    public static string NewIndexName(int rows) =>
        $"hnsw-{rows}-{DateTime.UtcNow:yyyyMMddHHmmssfff}.usearch";

    public string PathOf(string fileName) => Path.Combine(Directory, fileName);

    /// <summary>The cells file that goes with the index file <paramref name="indexName"/>.</summary>
    public static string CellsName(string indexName) => Path.ChangeExtension(indexName, ".cells");

    /// <summary>The cell-ordered vectors file that goes with the index file <paramref name="indexName"/>.</summary>
    public static string CellVectorsName(string indexName) => Path.ChangeExtension(indexName, ".cellvectors");

    /// <summary>Index and cells files (finished or temporary) other than the ones named, left by earlier builds.</summary>
    public IEnumerable<string> Stale(params string[] keep) =>
        System.IO.Directory.EnumerateFiles(Directory, "hnsw-*")
            .Where(path => !keep.Contains(Path.GetFileName(path), StringComparer.Ordinal));
}
