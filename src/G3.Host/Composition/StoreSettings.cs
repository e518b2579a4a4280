using G3.Alignment.Store.Embedded;
using G3.Alignment.Store.Qdrant;

namespace G3.Host.Composition;

/// <summary>
/// Configuration section <c>Store</c>: which reference store serves retrieval. Switching to Qdrant is
/// configuration only: <c>Store:Kind=qdrant</c> plus <c>Store:Qdrant:Url</c> (and the API key from the
/// environment variable <c>G3_Store__Qdrant__ApiKey</c>). The vector size always comes from the model.
/// </summary>
public sealed class StoreSettings
{
    public const string SectionName = "Store";

    /// <summary>embedded (default: a directory on this machine) or qdrant.</summary>
    public string Kind { get; set; } = "embedded";

    public EmbeddedSettings Embedded { get; set; } = new();

    public QdrantStoreOptions Qdrant { get; set; } = new();

    public sealed class EmbeddedSettings
    {
        /// <summary>The store's directory; a relative path is taken from the folder holding appsettings.json (<see cref="G3Paths"/>).</summary>
        public string Directory { get; set; } = "data/stores/g3-mini-v2";

        /// <summary>Float32, or Float16 to halve memory (used when the store is created).</summary>
        public StoreElementType ElementType { get; set; } = StoreElementType.Float32;
    }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!string.Equals(Kind, "embedded", StringComparison.OrdinalIgnoreCase) && !string.Equals(Kind, "qdrant", StringComparison.OrdinalIgnoreCase))
            errors.Add($"Store:Kind is '{Kind}'; it must be 'embedded' or 'qdrant'.");
        if (IsEmbedded && string.IsNullOrWhiteSpace(Embedded.Directory))
            errors.Add("Store:Embedded:Directory must name the store's folder.");
        return errors;
    }

    /// <summary>What the store is, for progress lines and logs: "embedded float16 store /path" or "Qdrant collection c at url".</summary>
    public string Describe() => IsEmbedded
        ? $"embedded {Embedded.ElementType.ToString().ToLowerInvariant()} store {G3Paths.Resolve(Embedded.Directory)}"
        : $"Qdrant collection '{Qdrant.Collection}' at {Qdrant.Url}";

    public bool IsEmbedded => string.Equals(Kind, "embedded", StringComparison.OrdinalIgnoreCase);
}
