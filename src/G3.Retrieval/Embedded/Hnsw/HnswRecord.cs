using System.Text.Json;

namespace G3.Retrieval.Embedded.Hnsw;

/// <summary>
/// What an HNSW index file was built from and with (hnsw.json for a finished index, hnsw.partial.json for a
/// checkpoint). An index covers rows [0, Rows) of the store; keys are row numbers. The store is append-only,
/// so rows added later are scanned exactly until the next build, and a store with fewer rows (or, at equal
/// rows, other vectors) than the record says is not the one the index was built from.
/// </summary>
internal sealed record HnswRecord
{
    public const string FormatName = "g3-hnsw-index";

    public string Format { get; init; } = FormatName;
    public string File { get; init; } = "";
    public required string ModelId { get; init; }
    public required int Dimension { get; init; }
    public required HnswStorage Storage { get; init; }
    public required int Connectivity { get; init; }
    public required int EfConstruction { get; init; }

    /// <summary>Rows [0, Rows) are in the index.</summary>
    public int Rows { get; init; }

    /// <summary>The store's vectors checksum when it held exactly <see cref="Rows"/> rows.</summary>
    public uint VectorsCrc32C { get; init; }

    /// <summary>The far end's cells file (<see cref="CellIndex"/>) of the same rows; empty in a checkpoint's record.</summary>
    public string CellsFile { get; init; } = "";

    /// <summary>How many cells <see cref="CellsFile"/> holds.</summary>
    public int Cells { get; init; }

    /// <summary>The vectors in cell order (<see cref="CellVectors"/>); empty in a checkpoint's record.</summary>
    public string CellVectorsFile { get; init; } = "";

    /// <summary>The checksum of <see cref="CellVectorsFile"/>, verified when the index opens.</summary>
    public uint CellVectorsCrc32C { get; init; }

    public double BuildSeconds { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>The record at <paramref name="path"/>, or null when it is absent or unreadable (then there is no usable index).</summary>
    public static HnswRecord? TryRead(string path)
    {
        if (!System.IO.File.Exists(path)) return null;
        try
        {
            var record = JsonSerializer.Deserialize<HnswRecord>(System.IO.File.ReadAllBytes(path), Json);
            return record?.Format == FormatName ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether an index built with <paramref name="settings"/> for this model would be this one's shape.</summary>
    public bool SameShape(string modelId, int dimension, HnswSettings settings) =>
        ModelId == modelId && Dimension == dimension && Storage == settings.Storage &&
        Connectivity == settings.Connectivity && EfConstruction == settings.EfConstruction;

    /// <summary>Write temp, fsync, rename: a reader sees the old record or the new one.</summary>
    public void WriteAtomically(string path)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, this, Json);
            stream.Flush(flushToDisk: true);
        }
        System.IO.File.Move(temp, path, overwrite: true);
    }

    /// <summary>Flushes a file another library wrote (USearch's save) to disk before it is renamed into place.</summary>
    public static void FlushToDisk(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        stream.Flush(flushToDisk: true);
    }
}
