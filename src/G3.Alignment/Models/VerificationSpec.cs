using System.Text.Json.Serialization;

namespace G3.Alignment.Models;

/// <summary>
/// How the verifier compares e_gps^image with candidate location embeddings. JSON: <c>"verification": { "metric":
/// "cosine", "logitScale": 100, "calibration": {...}, "consensus": {...}, "levelCalibration": {...} }</c>. The
/// logit scale is CLIP's learned temperature inverse; a manifest may give "temperature" instead, which the
/// loader turns into the logit scale.
/// </summary>
public sealed record VerificationSpec
{
    [JsonInclude, JsonPropertyName("metric")] internal string? MetricName { get; init; }
    [JsonInclude] internal double? Temperature { get; init; }

    /// <summary>JSON "cosine" (default) or "dot".</summary>
    [JsonIgnore] public VerificationMetric Metric => ManifestNames.Metric.Parse(MetricName);

    public double? LogitScale { get; init; }
    public ConfidenceCalibrationSpec? Calibration { get; init; }
    public ConsensusSpec? Consensus { get; init; }
    public LevelCalibrationSpec? LevelCalibration { get; init; }
}

/// <summary>How the verifier compares e_gps^image with candidate location embeddings. JSON: "cosine" or "dot".</summary>
public enum VerificationMetric
{
    Cosine,
    Dot,
}
