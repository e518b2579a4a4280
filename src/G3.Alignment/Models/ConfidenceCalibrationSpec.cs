using System.Text.Json.Serialization;

namespace G3.Alignment.Models;

/// <summary>
/// Isotonic calibration of the verifier's confidence. JSON (inside "verification"):
/// <c>"calibration": { "method": "isotonic", "radiusKm": 200, "raw": [...], "calibrated": [...], "fittedOn": "..." }</c>:
/// the raw confidence is the softmax mass within <see cref="RadiusKm"/> of the pick, mapped by linear
/// interpolation through the (raw, calibrated) points (both non-decreasing) to the probability that the pick
/// is within <see cref="RadiusKm"/> of the truth.
/// </summary>
public sealed record ConfidenceCalibrationSpec
{
    [JsonInclude] internal string? Method { get; init; }
    public double RadiusKm { get; init; }
    public IReadOnlyList<double> Raw { get; init; } = [];
    public IReadOnlyList<double> Calibrated { get; init; } = [];
    public string? FittedOn { get; init; }
}
