using G3.Core.Candidates;
using G3.Core.Options;
using G3.Verification.Selectors;

namespace G3.Host.Composition;

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
    /// How the answer is chosen among the candidates: "consensus" (the model manifest's consensus decision and calibrations,
    /// when it has them) or "argmax" (G3's plain argmax of the image-to-GPS similarity, with raw, uncalibrated confidences);
    /// names from <see cref="SelectorCatalog.ServiceNames"/>.
    /// </summary>
    public string Selector { get; set; } = SelectorCatalog.Consensus;

    /// <summary>Every problem with these settings, one message each.</summary>
    public IEnumerable<string> Validate()
    {
        foreach (var e in ToOptions().Validate()) yield return "Pipeline: " + e;
        if (!double.IsFinite(LevelUncertainBelow) || LevelUncertainBelow is < 0 or > 1)
            yield return $"Pipeline: LevelUncertainBelow must be between 0 and 1 (got {LevelUncertainBelow})";
        if (!SelectorCatalog.ServiceNames.Contains(SelectorCatalog.Find(Selector)))
            yield return $"Pipeline:Selector: {SelectorCatalog.Unknown(Selector, SelectorCatalog.ServiceNames)}";
    }

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
