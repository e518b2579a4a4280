using G3.Diversification.Generation;
using G3.Diversification.Prompts;
using G3.Core.Options;
using G3.Retrieval;
using G3.Retrieval.Embedded;
using G3.Retrieval.Embedded.Hnsw;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace G3.Evaluation;

/// <summary>
/// An experiment file (JSON, see experiments/README.md): a dataset in IM2GPS3K format (CSV with IMG_ID,
/// LAT, LON + an image folder), shared settings, and named configurations that each vary G3's options,
/// the LMM provider, or the selector that replaces the verifier.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record Experiment
{
    public required string Name { get; init; }
    public required DatasetSpec Dataset { get; init; }

    /// <summary>Evaluate only the first N images (quick runs); null = all.</summary>
    public int? Limit { get; init; }

    /// <summary>Images × configurations in flight at once.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Cost cap over the run folder's results (see <see cref="CostBudget"/>); null: none. --max-cost overrides it.</summary>
    public decimal? MaxCost { get; init; }

    /// <summary>Settings every configuration starts from (provider, G3 option overrides, configuration keys).</summary>
    public ConfigurationSpec? Defaults { get; init; }

    public required IReadOnlyList<ConfigurationSpec> Configurations { get; init; }

    private static readonly JsonSerializerOptions Json = new(EvalJson.Options) { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static Experiment Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"experiment file '{path}' does not exist", path);
        Experiment? experiment;
        try
        {
            experiment = JsonSerializer.Deserialize<Experiment>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"experiment file '{path}' is not valid: {e.Message}", e);
        }
        if (experiment is null) throw new InvalidDataException($"experiment file '{path}' is empty");
        var problems = experiment.Validate();
        if (problems.Count > 0) throw new InvalidDataException($"experiment file '{path}': " + string.Join(" ", problems));
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return experiment with { Dataset = experiment.Dataset.ResolvedAgainst(baseDir) };
    }

    /// <summary>The rows that name their own baseline for the report's paired gain: row → baseline.</summary>
    public IReadOnlyDictionary<string, string> Baselines =>
        Configurations.Where(c => c.Baseline is not null).ToDictionary(c => c.Name, c => c.Baseline!, StringComparer.Ordinal);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Configurations is not { Count: > 0 }) problems.Add("'configurations' must list at least one configuration.");
        else
        {
            foreach (var dup in Configurations.GroupBy(c => c.Name).Where(g => g.Count() > 1))
                problems.Add($"configuration name '{dup.Key}' is used twice.");
            foreach (var c in Configurations.Where(c => string.IsNullOrWhiteSpace(c.Name)))
                problems.Add("every configuration needs a 'name'.");
            foreach (var c in Configurations.Select(c => c.Over(Defaults)))
            {
                if (c.Views is < 1 or > G3.Core.Ports.PlaceQuery.MaxImages)
                    problems.Add($"configuration '{c.Name}': 'views' must be 1..{G3.Core.Ports.PlaceQuery.MaxImages}.");
                else if (c.Views > 1 && Dataset?.Views is null)
                    problems.Add($"configuration '{c.Name}' asks for {c.Views} views; the dataset needs a 'views' file listing each place's photos.");
            }
        }
        if (Concurrency is < 1 or > 256) problems.Add("'concurrency' must be between 1 and 256.");
        if (Limit is < 1) problems.Add("'limit' must be positive.");
        if (MaxCost is < 0) problems.Add("'maxCost' must not be negative.");
        if (Dataset is not null) problems.AddRange(Dataset.Problems());
        if (Defaults?.Baseline is not null) problems.Add("'defaults' cannot name a 'baseline': each row names its own.");
        foreach (var c in (Configurations ?? []).Where(c => c.Baseline is not null))
        {
            if (c.Baseline == c.Name) problems.Add($"configuration '{c.Name}' names itself as its baseline.");
            else if (!Configurations!.Any(o => o.Name == c.Baseline)) problems.Add($"configuration '{c.Name}': baseline '{c.Baseline}' is not a configuration of this file.");
        }
        foreach (var c in Configurations ?? [])
            if (c.Store?.Extra is { } extra)
                problems.AddRange(extra.SelectMany((e, i) => e.Problems($"configuration '{c.Name}': store.extra[{i}]")));
        return problems;
    }
}

/// <param name="Kind">synthetic, IM2GPS3K or YFCC4K (the latter two print the paper's rows beside ours).</param>
/// <param name="Metadata">CSV with IMG_ID, LAT, LON; relative to the experiment file. Omitted with <paramref name="World"/>.</param>
/// <param name="Images">Folder the IMG_IDs are relative to; relative to the experiment file. Omitted with <paramref name="World"/>.</param>
/// <param name="Views">Optional views file (IMG_ID, VIEWS): every photo of each row's place, for configurations with "views" &gt; 1.</param>
/// <param name="World">The query split of a synthetic world that eval generates into its directory (relative to the
/// experiment file) when missing: the images are that split's, so the file alone fixes which photos are asked.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record DatasetSpec(string Kind, string? Metadata = null, string? Images = null, string? Views = null, SyntheticQuerySplit? World = null)
{
    /// <summary>The metadata CSV (absolute once loaded).</summary>
    public string MetadataPath => Metadata ?? throw new InvalidOperationException("dataset.metadata is not set");

    /// <summary>The image folder (absolute once loaded).</summary>
    public string ImagesPath => Images ?? throw new InvalidOperationException("dataset.images is not set");

    public IEnumerable<string> Problems()
    {
        if (World is null)
        {
            if (string.IsNullOrWhiteSpace(Metadata) || string.IsNullOrWhiteSpace(Images))
                yield return "'dataset' needs 'metadata' and 'images', or a 'world' to generate.";
            yield break;
        }
        if (Metadata is not null || Images is not null)
            yield return "'dataset' takes either 'world' (its query split is the dataset) or 'metadata' and 'images', not both.";
        if (World.Directory is null) yield return "'dataset.world' needs a 'directory' (relative to the experiment file) to generate the world into.";
        foreach (var problem in World.Problems("dataset.world")) yield return problem;
    }

    public DatasetSpec ResolvedAgainst(string directory)
    {
        var world = World is null ? null : World with { Directory = Path.GetFullPath(Path.Combine(directory, World.Directory!)) };
        return this with
        {
            World = world,
            Metadata = world is not null ? Path.Combine(world.Directory!, "im2gps3k", "metadata.csv") : Path.GetFullPath(Path.Combine(directory, Metadata!)),
            Images = world is not null ? Path.Combine(world.Directory!, "im2gps3k", "images") : Path.GetFullPath(Path.Combine(directory, Images!)),
            Views = Views is null ? null : Path.GetFullPath(Path.Combine(directory, Views)),
        };
    }
}

/// <summary>One row of the results table.</summary>
/// <param name="Provider">LMM provider name (Lmm:Providers), "none" for retrieval + verification only.</param>
/// <param name="G3">Option overrides (reference counts, N, S, temperature, place text, ablations).</param>
/// <param name="Selector">A name from SelectorCatalog: consensus, argmax (the paper's plain argmax), first-valid, medoid or largest-cluster; absent: the service's Pipeline:Selector.</param>
/// <param name="Prompts">A folder of Semantic Kernel prompt folders replacing or adding prompts by name (docs/lmm.md).</param>
/// <param name="ZeroShotPrompt">The prompt used by variants without references, by name (default "zero_shot").</param>
/// <param name="RagPrompt">The prompt used by variants with references, by name (default "rag").</param>
/// <param name="PromptSettings">The prompts' execution-settings profile by name (e.g. "gpt4v", "llava"); default: the provider's own.</param>
/// <param name="Store">Another embedded store for this configuration (e.g. float16); built from the synthetic world when missing.</param>
/// <param name="Views">Photos per query: 1 (default) asks with the row's image; N asks with the first N photos of its place (the dataset's views file).</param>
/// <param name="Baseline">The configuration the report's paired gain compares this row with (default: the first configuration); never inherited from the defaults.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record ConfigurationSpec(string Name, string? Provider = null, G3OptionsOverrides? G3 = null, string? Selector = null, string? Prompts = null,
    StoreOverride? Store = null, string? ZeroShotPrompt = null, string? RagPrompt = null, string? PromptSettings = null, int? Views = null, string? Baseline = null)
{
    public ConfigurationSpec Over(ConfigurationSpec? defaults) => defaults is null ? this : this with
    {
        Provider = Provider ?? defaults.Provider,
        G3 = G3 ?? defaults.G3,
        Selector = Selector ?? defaults.Selector,
        Prompts = Prompts ?? defaults.Prompts,
        Store = Store ?? defaults.Store,
        ZeroShotPrompt = ZeroShotPrompt ?? defaults.ZeroShotPrompt,
        RagPrompt = RagPrompt ?? defaults.RagPrompt,
        PromptSettings = PromptSettings ?? defaults.PromptSettings,
        Views = Views ?? defaults.Views,
    };

    /// <summary>The prompts and execution settings chosen by name; null when the configuration names none.</summary>
    public GenerationSettings? Generation(PromptTemplates templates)
    {
        if (ZeroShotPrompt is null && RagPrompt is null && PromptSettings is null) return null;
        var settings = new GenerationSettings(ZeroShotPrompt ?? PromptTemplates.ZeroShot, RagPrompt ?? PromptTemplates.Rag, PromptSettings);
        // Checked here too, so a misspelt name is refused even where the provider is "none" and no generator is built.
        try { settings.EnsureValid(templates); }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException)
        {
            throw new InvalidDataException($"configuration '{Name}': {e.Message.Split(" (Parameter", 2)[0]}");
        }
        return settings;
    }
}

/// <param name="Directory">The store's folder; relative to the repository root (the folder holding appsettings.json), like Store:Embedded:Directory.</param>
/// <param name="ElementType">Float32 or Float16, used when the store is built.</param>
/// <param name="Index">exact (scan every row) or hnsw (the USearch index beside the vectors, built by eval when missing).</param>
/// <param name="Extra">Synthetic query splits whose photos the store holds beside the database photos (e.g. every photo the
/// model's GPS head was trained on), generated and indexed by eval when missing; ids are prefixed by their seed.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record StoreOverride(string Directory, StoreElementType ElementType = StoreElementType.Float32, EmbeddedIndex Index = EmbeddedIndex.Exact,
    IReadOnlyList<SyntheticQuerySplit>? Extra = null)
{
    /// <summary>Photos the store holds beyond the database split.</summary>
    public long ExtraPhotos => Extra?.Sum(e => (long)e.Queries) ?? 0;

    // Rows that name the same store share one open store: equal by value, the extra splits included.
    public bool Equals(StoreOverride? other) =>
        other is not null && Directory == other.Directory && ElementType == other.ElementType && Index == other.Index
        && (Extra ?? []).SequenceEqual(other.Extra ?? []);

    public override int GetHashCode() => HashCode.Combine(Directory, ElementType, Index, Extra?.Count ?? 0);

    /// <summary>
    /// The settings the store is built and opened with: this override's folder, element type and index, with the
    /// service's HNSW parameters (Store:Embedded:Hnsw), so an hnsw row measures the index the service would serve.
    /// </summary>
    public StoreSettings Settings(HnswSettings hnsw) => new()
    {
        Kind = ReferenceStores.Name(StoreKind.Embedded),
        Embedded = new() { Directory = Directory, ElementType = ElementType, Index = Index.ToString().ToLowerInvariant(), Hnsw = hnsw },
    };
}
