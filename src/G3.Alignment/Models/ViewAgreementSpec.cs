using System.Text.Json.Serialization;

namespace G3.Alignment.Models;

/// <summary>
/// When the photos of a several-photo query disagree. JSON: <c>"viewAgreement": { "score": "retrieval-cosine",
/// "threshold": 0.8, "pairs": 1500, "measuredOn": "..." }</c>: two photos whose retrieval embeddings' cosine similarity is
/// below <see cref="Threshold"/> (a low quantile of the similarities of photo pairs taken at the same place) are
/// reported as disagreeing.
/// </summary>
public sealed record ViewAgreementSpec
{
    /// <summary>Only "retrieval-cosine".</summary>
    [JsonInclude] internal string? Score { get; init; }

    /// <summary>A cosine similarity (-1..1); NaN until given, so a missing threshold is reported.</summary>
    public double Threshold { get; init; } = double.NaN;

    /// <summary>How many same-place photo pairs the threshold was measured on.</summary>
    public int? Pairs { get; init; }
    public string? MeasuredOn { get; init; }
}
