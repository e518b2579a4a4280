using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace G3.Retrieval.Embedded;

/// <summary>
/// The store's header and commit record (manifest.json). Everything a reader trusts is here: the data
/// files may hold bytes past the committed lengths (an append that never committed), which are ignored.
/// It is replaced atomically (write temp, fsync, rename) so a reader sees either the old or the new commit.
/// </summary>
internal sealed record StoreManifest
{
    public const string FormatName = "g3-embedded-reference-store";
    public const int CurrentVersion = 1;
    public const string InnerProduct = "inner_product";

    public string Format { get; init; } = FormatName;
    public int FormatVersion { get; init; } = CurrentVersion;
    public required int Dimension { get; init; }
    public required string ElementType { get; init; }
    public string Metric { get; init; } = InnerProduct;
    public required string ModelId { get; init; }

    /// <summary>Commits since creation; grows by one per upsert or delete.</summary>
    public long Generation { get; init; }

    /// <summary>Rows in vectors.bin and payloads.bin, deleted ones included.</summary>
    public int Rows { get; init; }

    /// <summary>Rows not deleted (what CountAsync reports).</summary>
    public int LiveRows { get; init; }

    public long PayloadBytes { get; init; }

    /// <summary>Entries (row numbers, int64 each) in tombstones.bin.</summary>
    public int Tombstones { get; init; }

    public uint VectorsCrc32C { get; init; }
    public uint PayloadsCrc32C { get; init; }
    public uint TombstonesCrc32C { get; init; }

    [JsonIgnore]
    public StoreElementType Element =>
        StoreElementTypeExtensions.TryParseManifestName(ElementType, out var t) ? t : throw new InvalidOperationException("validated at read");

    [JsonIgnore]
    public long VectorBytes => (long)Rows * Dimension * Element.ByteSize();

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    };

    /// <summary>Reads and validates the manifest; anything unreadable is a <see cref="StoreCorruptException"/>.</summary>
    public static StoreManifest Read(string path)
    {
        StoreManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<StoreManifest>(File.ReadAllBytes(path), Json);
        }
        catch (JsonException e)
        {
            throw new StoreCorruptException($"the store manifest {path} is not valid JSON ({e.Message}); the store is damaged", e);
        }
        if (manifest is null)
            throw new StoreCorruptException($"the store manifest {path} is empty (null); the store is damaged");
        manifest.Validate(path);
        return manifest;
    }

    private void Validate(string path)
    {
        string? problem = null;
        if (Format != FormatName)
            problem = $"format is '{Format}', expected '{FormatName}'";
        else if (FormatVersion != CurrentVersion)
            problem = string.Create(CultureInfo.InvariantCulture,
                $"format version {FormatVersion} is not supported (this build reads version {CurrentVersion})");
        else if (Dimension <= 0)
            problem = string.Create(CultureInfo.InvariantCulture, $"dimension {Dimension} is not positive");
        else if (!StoreElementTypeExtensions.TryParseManifestName(ElementType, out _))
            problem = $"element type '{ElementType}' is unknown (float32 or float16)";
        else if (Metric != InnerProduct)
            problem = $"metric '{Metric}' is unknown ({InnerProduct})";
        else if (string.IsNullOrWhiteSpace(ModelId))
            problem = "model id is empty";
        else if (Rows < 0 || LiveRows < 0 || LiveRows > Rows || Tombstones < 0 || PayloadBytes < 0 || Generation < 0)
            problem = string.Create(CultureInfo.InvariantCulture,
                $"counts are inconsistent (rows {Rows}, live {LiveRows}, tombstones {Tombstones}, payload bytes {PayloadBytes})");
        else if (Rows - LiveRows > Tombstones)
            problem = string.Create(CultureInfo.InvariantCulture,
                $"{Rows - LiveRows} rows are dead but only {Tombstones} tombstones are recorded");
        if (problem is not null)
            throw new StoreCorruptException($"the store manifest {path} is invalid: {problem}");
    }

    /// <summary>Publishes this manifest atomically: a process killed at any point leaves the old or the new one.</summary>
    public void WriteAtomically(string path)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, this, Json);
            stream.Flush(flushToDisk: true);
        }
        // rename(2) replaces the target atomically on POSIX file systems.
        File.Move(temp, path, overwrite: true);
    }
}
