using G3.Retrieval.Embedded;
using G3.Retrieval.Embedded.Hnsw;
using G3.Retrieval.Qdrant;

namespace G3.Retrieval;

/// <summary>
/// Configuration section <c>Store</c>: which reference store serves retrieval. Switching to Qdrant is
/// configuration only: <c>Store:Kind=qdrant</c> plus <c>Store:Qdrant:Url</c> (and the API key from the
/// environment variable <c>G3_Store__Qdrant__ApiKey</c>). The vector size always comes from the model.
/// What each kind means (opening, describing, validating) is <see cref="ReferenceStores"/>' business.
/// </summary>
public sealed class StoreSettings
{
    public const string SectionName = "Store";

    /// <summary>
    /// A <see cref="StoreKind"/> by name, any case: embedded (default: a directory on this machine) or qdrant.
    /// Kept as the configured text, not the enum, so that a typo binds and is then refused by
    /// <see cref="Validate"/> with a message naming the setting, rather than by the binder's conversion error.
    /// </summary>
    public string Kind { get; set; } = "embedded";

    public EmbeddedSettings Embedded { get; set; } = new();

    public QdrantStoreOptions Qdrant { get; set; } = new();

    public sealed class EmbeddedSettings
    {
        /// <summary>The store's directory; a relative path is taken from the folder holding appsettings.json (the host resolves it).</summary>
        public string Directory { get; set; } = "data/stores/g3-mini-v2";

        /// <summary>Float32, or Float16 to halve memory (used when the store is created).</summary>
        public StoreElementType ElementType { get; set; } = StoreElementType.Float32;

        /// <summary>
        /// "exact" (default: scan every row) or "hnsw" (serve from the USearch index <c>g3 index</c> builds beside the
        /// vectors; until it is built the store scans exactly). Text, like <see cref="Kind"/>, so a typo is refused by name.
        /// </summary>
        public string Index { get; set; } = "exact";

        /// <summary>The HNSW index's build and search settings (used when <see cref="Index"/> is hnsw).</summary>
        public HnswSettings Hnsw { get; set; } = new();
    }

    /// <summary>Every problem of these settings, each naming its key; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate() => ReferenceStores.Validate(this);
}
