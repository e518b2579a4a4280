using G3.Core.Candidates;
using G3.Core.Geo;

namespace G3.Geography;

/// <summary>
/// The answer of a reverse-geocoding lookup. <see cref="Place"/> carries MP16-Pro's text fields;
/// on open water it is empty and <see cref="Ocean"/> names the water body (approximate).
/// </summary>
public sealed record GeoLookup(
    GeoPoint Point,
    Place Place,
    string? CountryCode,
    City? City,
    double? CityDistanceKm,
    string? Ocean)
{
    /// <summary>True when the point lies outside every country border (open water).</summary>
    public bool IsOcean => CountryCode is null;
}
