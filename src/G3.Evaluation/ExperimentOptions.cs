using System.Text.Json.Serialization;
using G3.Core.Candidates;
using G3.Core.Options;

namespace G3.Evaluation;

/// <summary>
/// A configuration's "g3" object: overrides of the service's default G3 options, the same fields the
/// API's per-request "g3" object takes. Anything left out keeps the default; an unknown field is refused.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record ExperimentOptions(
    int[]? ReferenceCounts = null,
    int? SamplesPerPrompt = null,
    int? RetrievedCandidates = null,
    double? Temperature = null,
    PlaceGranularity? ReferencePlaceText = null,
    bool? AlignmentOff = null,
    bool? DiversificationOff = null,
    bool? VerificationOff = null)
{
    public G3Options ApplyTo(G3Options defaults) => (defaults with
    {
        ReferenceCounts = ReferenceCounts ?? defaults.ReferenceCounts,
        SamplesPerPrompt = SamplesPerPrompt ?? defaults.SamplesPerPrompt,
        RetrievedCandidates = RetrievedCandidates ?? defaults.RetrievedCandidates,
        Temperature = Temperature ?? defaults.Temperature,
        ReferencePlaceText = ReferencePlaceText ?? defaults.ReferencePlaceText,
        Ablations = new Ablations(
            AlignmentOff ?? defaults.Ablations.AlignmentOff,
            DiversificationOff ?? defaults.Ablations.DiversificationOff,
            VerificationOff ?? defaults.Ablations.VerificationOff),
    }).EnsureValid();
}
