using G3.Core.Geo;

namespace G3.Geography;

/// <summary>
/// A country or territory with an ISO 3166-1 code, as named by country-coder, with the continent
/// derived from its UN M49 groups and a centroid (mean of its border vertices: rough, but stable).
/// </summary>
public sealed record Country(string Code, string Name, string? Iso3, string? Continent, GeoPoint Centroid);
