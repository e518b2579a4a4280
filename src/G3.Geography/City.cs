using G3.Core.Geo;

namespace G3.Geography;

/// <summary>
/// A GeoNames populated place (population ≥ 1000 or an administrative seat) with its
/// administrative names resolved. <see cref="State"/> is the GeoNames first-order division
/// (admin1), <see cref="County"/> the second-order one (admin2) where GeoNames has it.
/// </summary>
public sealed record City(
    int GeoNameId,
    string Name,
    string CountryCode,
    string FeatureCode,
    int Population,
    GeoPoint Location,
    string? State,
    string? County)
{
    /// <summary>GeoNames "PPLX": a section of a populated place, reported as a neighbourhood.</summary>
    public bool IsNeighbourhood => FeatureCode == "PPLX";
}
