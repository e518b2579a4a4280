using G3.Core.Candidates;
using G3.Core.Options;
using G3.Diversification.Caching;

namespace G3.Host.Composition;

/// <summary>Section <c>Model</c>: which G3 model (image + location encoders) the service runs.</summary>
public sealed class ModelSettings
{
    public const string SectionName = "Model";

    /// <summary>The model manifest; a relative path is taken from the folder holding appsettings.json (<see cref="G3Paths"/>).</summary>
    public string Manifest { get; set; } = "models/g3-mini/manifest.json";

    /// <summary>cpu, cuda or auto (CUDA when the ONNX Runtime build and the machine can use it).</summary>
    public string ExecutionProvider { get; set; } = "auto";

    /// <summary>How the image encoder's session runs (section Model:Image).</summary>
    public EncoderRuntimeSettings Image { get; set; } = new();

    /// <summary>How the location encoder's session runs (section Model:Location).</summary>
    public EncoderRuntimeSettings Location { get; set; } = new();
}

/// <summary>Section <c>Pipeline</c>: the default G3 options of every request (a request may override them).</summary>
public sealed class PipelineSettings
{
    public const string SectionName = "Pipeline";

    /// <summary>Null keeps the paper's [0, 5, 10, 15]. (No array default here: the configuration binder would append to it.)</summary>
    public int[]? ReferenceCounts { get; set; }
    public int SamplesPerPrompt { get; set; } = 10;
    public int RetrievedCandidates { get; set; } = 10;
    public double? Temperature { get; set; }
    public PlaceGranularity ReferencePlaceText { get; set; } = PlaceGranularity.None;

    /// <summary>Seconds the LMM stage may take; later answers are dropped and the request goes on.</summary>
    public double GenerationDeadlineSeconds { get; set; } = 60;

    /// <summary>Seconds one API request may take in all; past it the answer is 504.</summary>
    public double RequestTimeoutSeconds { get; set; } = 120;

    /// <summary>Answers per level: a country, region or city holding less of the verifier's mass than this is called uncertain.</summary>
    public double LevelUncertainBelow { get; set; } = G3.Geography.Levels.GeocodedPlaceLevels.DefaultUncertainBelow;

    /// <summary>
    /// How the verifier picks: "consensus" (the model manifest's consensus decision and calibrations, when it has them)
    /// or "argmax" (G3's plain argmax of the image-to-GPS similarity, with raw, uncalibrated confidences).
    /// </summary>
    public string Verifier { get; set; } = ConsensusVerifier;

    public const string ConsensusVerifier = "consensus";
    public const string ArgmaxVerifier = "argmax";

    /// <summary>True for "argmax"; anything but the two names is refused at start (<see cref="VerifierError"/>).</summary>
    public bool UsesArgmax => string.Equals(Verifier?.Trim(), ArgmaxVerifier, StringComparison.OrdinalIgnoreCase);

    public string? VerifierError() =>
        string.Equals(Verifier?.Trim(), ConsensusVerifier, StringComparison.OrdinalIgnoreCase) || UsesArgmax
            ? null
            : $"Pipeline: Verifier must be \"{ConsensusVerifier}\" or \"{ArgmaxVerifier}\" (got '{Verifier}')";

    public G3Options ToOptions() => new()
    {
        ReferenceCounts = ReferenceCounts ?? new G3Options().ReferenceCounts,
        SamplesPerPrompt = SamplesPerPrompt,
        RetrievedCandidates = RetrievedCandidates,
        Temperature = Temperature,
        ReferencePlaceText = ReferencePlaceText,
        GenerationDeadline = GenerationDeadlineSeconds > 0 ? TimeSpan.FromSeconds(GenerationDeadlineSeconds) : null,
    };
}

/// <summary>Section <c>Cache</c>: the on-disk LMM response cache.</summary>
public sealed class CacheSettings
{
    public const string SectionName = "Cache";

    public CacheMode Mode { get; set; } = CacheMode.ReadWrite;
    public string Directory { get; set; } = "data/cache/lmm";
}

/// <summary>Section <c>FirstStart</c>: what the service does when the embedded store does not exist yet.</summary>
public sealed class FirstStartSettings
{
    public const string SectionName = "FirstStart";

    /// <summary>
    /// Have the first-start world generated (if absent) and index it with the configured model. The world comes from
    /// the executable's <see cref="Hosting.IFirstStartWorld"/>: g3's is the synthetic MP16-Pro world.
    /// </summary>
    public bool BuildEmbeddedStore { get; set; } = true;

    /// <summary>Where the first-start world is (or will be) generated.</summary>
    public string WorldDirectory { get; set; } = "data/mp16pro/generated/world";

    public int Seed { get; set; } = 1;
    public int DatabaseCount { get; set; } = 20000;
    public int QueryCount { get; set; } = 1000;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(WorldDirectory)) yield return "FirstStart:WorldDirectory must name a folder.";
        if (DatabaseCount < 1) yield return $"FirstStart:DatabaseCount must be at least 1 (got {DatabaseCount}).";
        if (QueryCount < 0) yield return $"FirstStart:QueryCount must not be negative (got {QueryCount}).";
    }
}
