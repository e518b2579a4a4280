using G3.Core.Candidates;
using G3.Core.Options;

namespace G3.Host.Apis;

/// <summary>
/// JSON body of POST /v1/geolocate: the image as base64 (or a data URL), an optional provider name, and
/// optional overrides of the service's default G3 options.
/// </summary>
internal sealed record GeolocateRequest(string? Image, string? Provider, G3OptionsOverrides? G3);

/// <summary>Per-request G3 options; anything left out keeps the service default.</summary>
internal sealed record G3OptionsOverrides(
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
