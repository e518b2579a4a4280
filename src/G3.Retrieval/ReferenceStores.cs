using G3.Core.Options;
using G3.Core.Ports;
using G3.Retrieval.Embedded;
using G3.Retrieval.Embedded.Hnsw;
using G3.Retrieval.Qdrant;

namespace G3.Retrieval;

/// <summary>
/// The one registry of reference store kinds: what each <see cref="StoreKind"/> is called in configuration,
/// how it is validated, opened and described. Every kind-dependent answer is a switch over
/// <see cref="StoreKind"/> with no default arm, so a kind added to the enum without an arm here is a
/// compile error (CS8509), never a silent fall into another backend's branch.
/// </summary>
/// <remarks>
/// Paths in <see cref="StoreSettings"/> may be relative; the caller passes <c>resolvePath</c>, which makes
/// them absolute the way the host does (against the folder holding appsettings.json).
/// </remarks>
public static class ReferenceStores
{
    /// <summary>Every kind, in declaration order.</summary>
    public static IReadOnlyList<StoreKind> Kinds { get; } = Enum.GetValues<StoreKind>();

    /// <summary>The kind's name in configuration (<c>Store:Kind</c>): its enum name in lower case.</summary>
    public static string Name(StoreKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>
    /// The kind <paramref name="text"/> names, ignoring case; null when it names none. Only exact names count:
    /// numbers ("1") and lists ("embedded,qdrant"), which <see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/> accepts, do not.
    /// </summary>
    public static StoreKind? Parse(string? text)
    {
        foreach (var kind in Kinds)
        {
            if (string.Equals(Name(kind), text, StringComparison.OrdinalIgnoreCase)) return kind;
        }
        return null;
    }

    /// <summary>The problems of <paramref name="settings"/>, each naming its key; empty when they are usable.</summary>
    public static IReadOnlyList<string> Validate(StoreSettings settings)
    {
        if (Parse(settings.Kind) is not { } kind) return [UnknownKindMessage(settings.Kind)];
        return kind switch
        {
            StoreKind.Embedded => ValidateEmbedded(settings.Embedded),
            // The Qdrant options check themselves when the store is built (QdrantReferenceStore's constructor).
            StoreKind.Qdrant => [],
        };
    }

    /// <summary>Opens the configured store for a model (its id and retrieval dimension); invalid settings throw <see cref="G3OptionsException"/>.</summary>
    /// <param name="resolvePath">Makes a configured path absolute (the host's G3Paths.Resolve).</param>
    /// <param name="create">Create an empty embedded store when none exists (indexing); otherwise it must exist.</param>
    /// <param name="readOnly">Serving only reads: an embedded store opened read-only takes no writer lock, so several
    /// service processes (or an indexing run) can share it.</param>
    public static IReferenceStore Open(StoreSettings settings, Func<string, string> resolvePath, string modelId, int dimension, bool create, bool readOnly = false) =>
        ValidKind(settings) switch
        {
            StoreKind.Embedded => OpenEmbedded(settings, resolvePath, modelId, dimension, create, readOnly),
            StoreKind.Qdrant => new QdrantReferenceStore(settings.Qdrant with { VectorSize = dimension }),
        };

    /// <summary>What the store is, for progress lines and logs: "embedded float16 store /path" or "Qdrant collection 'c' at url".</summary>
    public static string Describe(StoreSettings settings, Func<string, string> resolvePath) =>
        ValidKind(settings) switch
        {
            StoreKind.Embedded => $"embedded {settings.Embedded.ElementType.ToString().ToLowerInvariant()} store {resolvePath(settings.Embedded.Directory)}" +
                (ParseIndex(settings.Embedded.Index) == EmbeddedIndex.Hnsw ? " with an hnsw index" : ""),
            StoreKind.Qdrant => $"Qdrant collection '{settings.Qdrant.Collection}' at {settings.Qdrant.Url}",
        };

    /// <summary>Bytes one stored vector of <paramref name="dimension"/> floats takes, and the layout that explains it (index --dry-run).</summary>
    public static (long BytesPerVector, string Layout) VectorLayout(StoreSettings settings, int dimension) =>
        ValidKind(settings) switch
        {
            StoreKind.Embedded => (settings.Embedded.ElementType == StoreElementType.Float16 ? 2L * dimension : 4L * dimension, settings.Embedded.ElementType.ToString()),
            StoreKind.Qdrant => settings.Qdrant.Quantization == QdrantQuantization.Scalar
                ? (5L * dimension, "float32 + int8 quantized copy")
                : (4L * dimension, "float32"),
        };

    /// <summary>
    /// Builds (or resumes, or brings up to date) the index the settings ask for beside an opened store's vectors
    /// (<c>g3 index</c> runs it after encoding); null when the configured store has no index to build.
    /// </summary>
    public static HnswBuildResult? BuildIndex(IReferenceStore store, StoreSettings settings, IProgress<HnswBuildProgress>? progress,
        CancellationToken cancellationToken) =>
        ValidKind(settings) switch
        {
            StoreKind.Embedded => ParseIndex(settings.Embedded.Index) == EmbeddedIndex.Hnsw
                ? ((EmbeddedReferenceStore)store).BuildHnswIndex(new HnswBuildRun(settings.Embedded.Hnsw), progress, cancellationToken)
                : null,
            // Qdrant builds its own HNSW graph on the server as points arrive.
            StoreKind.Qdrant => null,
        };

    /// <summary>The index <paramref name="text"/> names (Store:Embedded:Index), ignoring case; null when it names none.</summary>
    public static EmbeddedIndex? ParseIndex(string? text)
    {
        foreach (var index in Enum.GetValues<EmbeddedIndex>())
        {
            if (string.Equals(index.ToString(), text, StringComparison.OrdinalIgnoreCase)) return index;
        }
        return null;
    }

    /// <summary>True when the settings name an embedded store and one already exists at its directory.</summary>
    public static bool EmbeddedStoreExists(StoreSettings settings, Func<string, string> resolvePath) =>
        Parse(settings.Kind) == StoreKind.Embedded && File.Exists(Path.Combine(resolvePath(settings.Embedded.Directory), "manifest.json"));

    private static StoreKind ValidKind(StoreSettings settings)
    {
        var errors = Validate(settings);
        if (errors.Count > 0) throw new G3OptionsException(errors);
        return Parse(settings.Kind)!.Value;
    }

    private static EmbeddedReferenceStore OpenEmbedded(StoreSettings settings, Func<string, string> resolvePath, string modelId, int dimension, bool create, bool readOnly)
    {
        var options = new EmbeddedStoreOptions
        {
            Directory = resolvePath(settings.Embedded.Directory),
            ModelId = modelId,
            Dimension = dimension,
            ElementType = settings.Embedded.ElementType,
            ReadOnly = readOnly && !create,
            Hnsw = ParseIndex(settings.Embedded.Index) == EmbeddedIndex.Hnsw ? settings.Embedded.Hnsw : null,
        };
        return create ? EmbeddedReferenceStore.OpenOrCreate(options) : EmbeddedReferenceStore.Open(options);
    }

    private static List<string> ValidateEmbedded(StoreSettings.EmbeddedSettings embedded)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(embedded.Directory)) problems.Add("Store:Embedded:Directory must name the store's folder.");
        var index = ParseIndex(embedded.Index);
        if (index is null) problems.Add($"Store:Embedded:Index is '{embedded.Index}'; it must be 'exact' or 'hnsw'.");
        if (index == EmbeddedIndex.Hnsw) problems.AddRange(embedded.Hnsw.Validate());
        return problems;
    }

    private static string UnknownKindMessage(string? kind)
    {
        var names = Kinds.Select(k => $"'{Name(k)}'").ToList();
        var choices = names.Count == 1 ? names[0] : string.Join(", ", names.SkipLast(1)) + " or " + names[^1];
        return $"Store:Kind is '{kind}'; it must be {choices}.";
    }
}
