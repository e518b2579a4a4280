using System.Text.Json.Serialization;
using G3.Core.Candidates;

namespace G3.Core.Options;

/// <summary>
/// Overrides of the default G3 options, as an API request's "g3" object and an experiment configuration's
/// "g3" object both carry them: anything left out keeps the default. An unknown field is refused when read.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record G3OptionsOverrides(
    int[]? ReferenceCounts = null,
    int? SamplesPerPrompt = null,
    int? RetrievedCandidates = null,
    double? Temperature = null,
    PlaceGranularity? ReferencePlaceText = null,
    bool? AlignmentOff = null,
    bool? DiversificationOff = null,
    bool? VerificationOff = null,
    double[]? ImageWeights = null)
{
    /// <summary>The defaults with these overrides applied, validated.</summary>
    public G3Options ApplyTo(G3Options defaults) => (defaults with
    {
        ReferenceCounts = ReferenceCounts ?? defaults.ReferenceCounts,
        SamplesPerPrompt = SamplesPerPrompt ?? defaults.SamplesPerPrompt,
        RetrievedCandidates = RetrievedCandidates ?? defaults.RetrievedCandidates,
        Temperature = Temperature ?? defaults.Temperature,
        ReferencePlaceText = ReferencePlaceText ?? defaults.ReferencePlaceText,
        ImageWeights = ImageWeights ?? defaults.ImageWeights,
        Ablations = new Ablations(
            AlignmentOff ?? defaults.Ablations.AlignmentOff,
            DiversificationOff ?? defaults.Ablations.DiversificationOff,
            VerificationOff ?? defaults.Ablations.VerificationOff),
    }).EnsureValid();
}
