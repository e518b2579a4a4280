namespace G3.Retrieval.Embedded;

/// <summary>
/// The files of one store directory. The data files are append-only and headerless (rows start at
/// offset 0, so a mapped row is aligned); manifest.json is the header and the commit record.
/// </summary>
internal sealed class StoreFiles(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>Header + commit record (JSON); replaced atomically per commit.</summary>
    public string Manifest => Path.Combine(Directory, "manifest.json");

    /// <summary>Rows × dimension little-endian float32 or float16 values.</summary>
    public string Vectors => Path.Combine(Directory, "vectors.bin");

    /// <summary>One length-prefixed record per row (see PayloadCodec).</summary>
    public string Payloads => Path.Combine(Directory, "payloads.bin");

    /// <summary>Deleted row numbers, int64 little-endian, in commit order.</summary>
    public string Tombstones => Path.Combine(Directory, "tombstones.bin");

    /// <summary>Held exclusively by the one writer process.</summary>
    public string WriterLock => Path.Combine(Directory, "writer.lock");
}
