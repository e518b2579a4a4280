using System.Text.Json.Serialization;

namespace G3.Alignment.Models;

/// <summary>
/// Per-level calibration of the answers (fitted on held-out photos). JSON (inside "verification"):
/// <c>"levelCalibration": { "method": "isotonic", "country": {...}, "region": {...}, "city": {...}, "fittedOn": "..." }</c>,
/// each level an <see cref="IsotonicPoints"/>.
/// </summary>
public sealed record LevelCalibrationSpec
{
    [JsonInclude] internal string? Method { get; init; }
    public IsotonicPoints Country { get; init; } = null!;
    public IsotonicPoints Region { get; init; } = null!;
    public IsotonicPoints City { get; init; } = null!;
    public string? FittedOn { get; init; }
}

/// <summary>An isotonic map's knots: raw values and their calibrated probabilities, both non-decreasing in 0..1.</summary>
public sealed record IsotonicPoints
{
    public IReadOnlyList<double> Raw { get; init; } = [];
    public IReadOnlyList<double> Calibrated { get; init; } = [];
}
