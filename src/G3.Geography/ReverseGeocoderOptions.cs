namespace G3.Geography;

/// <summary>Distances that decide which nearby places name a point.</summary>
public sealed class ReverseGeocoderOptions
{
    /// <summary>
    /// A place further than this (km) is not the point's city, unless it is big: a city of
    /// population p also reaches 3·r(p) with r(p) = (p/10⁴)^0.4 km (Paris ≈ 25 km).
    /// </summary>
    public double MaxCityDistanceKm { get; init; } = 15;

    /// <summary>A GeoNames city section (PPLX) within this distance (km) names the neighbourhood.</summary>
    public double MaxNeighbourhoodDistanceKm { get; init; } = 3;

    /// <summary>
    /// With no city in reach, the nearest place of the same country within this distance (km)
    /// still lends its state and county (rural points keep their admin names).
    /// </summary>
    public double MaxAdminDistanceKm { get; init; } = 100;

    /// <summary>
    /// Off the 1:50m coastline but inside a country's border, a point still belongs to that
    /// country when one of its places lies within this distance (km); otherwise it is open water.
    /// </summary>
    public double MaxCoastalDistanceKm { get; init; } = 25;

    internal void Validate()
    {
        if (!(MaxCityDistanceKm > 0) || !(MaxNeighbourhoodDistanceKm >= 0) || !(MaxCoastalDistanceKm >= 0) || !(MaxAdminDistanceKm >= MaxCityDistanceKm))
            throw new ArgumentException(
                "ReverseGeocoderOptions: distances must be positive and MaxAdminDistanceKm ≥ MaxCityDistanceKm");
    }
}
