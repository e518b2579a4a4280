namespace G3.Alignment.Models;

/// <summary>
/// The verifier's consensus decision (G3.Verification's ConsensusOptions documents each field). JSON (inside
/// "verification"): <c>"consensus": { "gpsScale": 10, "retrievalScale": 40, "supportKm": 1, "floor": 0.1,
/// "radiusKm": 200, "fittedOn": "..." }</c>, every number required.
/// </summary>
public sealed record ConsensusSpec
{
    public double GpsScale { get; init; }
    public double RetrievalScale { get; init; }
    public double SupportKm { get; init; }

    /// <summary>0..1; NaN until given, so a missing floor is reported rather than read as 0.</summary>
    public double Floor { get; init; } = double.NaN;
    public double RadiusKm { get; init; }
    public string? FittedOn { get; init; }
}
