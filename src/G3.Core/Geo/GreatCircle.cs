namespace G3.Core.Geo;

/// <summary>Great-circle geometry on a sphere of the mean Earth radius.</summary>
public static class GreatCircle
{
    /// <summary>IUGG mean Earth radius R1, in kilometres (the value geolocation papers use).</summary>
    public const double MeanEarthRadiusKm = 6371.0088;

    /// <summary>Haversine distance in kilometres; numerically stable for near and antipodal points.</summary>
    public static double DistanceKm(GeoPoint a, GeoPoint b)
    {
        var phi1 = DegreesToRadians(a.Latitude);
        var phi2 = DegreesToRadians(b.Latitude);
        var dPhi = phi2 - phi1;
        var dLambda = DegreesToRadians(b.Longitude - a.Longitude);
        var sinPhi = Math.Sin(dPhi / 2);
        var sinLambda = Math.Sin(dLambda / 2);
        var h = sinPhi * sinPhi + Math.Cos(phi1) * Math.Cos(phi2) * sinLambda * sinLambda;
        // Rounding can push h a hair past 1 for antipodes; asin would then return NaN.
        h = Math.Clamp(h, 0, 1);
        return 2 * MeanEarthRadiusKm * Math.Asin(Math.Sqrt(h));
    }

    public static double DegreesToRadians(double degrees) => degrees * (Math.PI / 180.0);

    public static double RadiansToDegrees(double radians) => radians * (180.0 / Math.PI);
}
