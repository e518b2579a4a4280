namespace G3.Core.Geo;

/// <summary>
/// Map projections used by the location encoders, with inverses for checking round trips.
/// Forward functions take degrees and return projected plane coordinates (x = easting, y = northing).
/// </summary>
public static class ProjectionMath
{
    /// <summary>Equatorial radius of EPSG:3857 (metres), the sphere G3's Mercator uses.</summary>
    public const double WebMercatorRadius = 6378137.0;

    /// <summary>π·R: G3 divides projected metres by this so both axes fall in about [-1, 1].</summary>
    public const double WebMercatorHalfExtent = Math.PI * WebMercatorRadius;

    /// <summary>
    /// Mercator is infinite at the poles; EPSG:3857 is defined up to this latitude, and we clamp to it
    /// so a polar candidate still gets a finite (edge-of-map) encoding instead of NaN.
    /// </summary>
    public const double MercatorMaxLatitude = 85.05112877980659;

    /// <summary>GeoCLIP's scale factor for Equal Earth coordinates.</summary>
    public const double EqualEarthScale = 66.50336;

    private const double A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796;
    private static readonly double SqrtThreeOverTwo = Math.Sqrt(3) / 2;

    /// <summary>x = R·(λ − λ0), y = R·ln tan(π/4 + φ/2), in metres, latitude clamped to the EPSG:3857 range.</summary>
    public static (double X, double Y) Mercator(GeoPoint p, double centralMeridian = 0, double radius = WebMercatorRadius)
    {
        var lat = Math.Clamp(p.Latitude, -MercatorMaxLatitude, MercatorMaxLatitude);
        var lambda = GreatCircle.DegreesToRadians(GeoPoint.NormalizeLongitude(p.Longitude - centralMeridian));
        var phi = GreatCircle.DegreesToRadians(lat);
        return (radius * lambda, radius * Math.Log(Math.Tan(Math.PI / 4 + phi / 2)));
    }

    public static GeoPoint InverseMercator(double x, double y, double centralMeridian = 0, double radius = WebMercatorRadius)
    {
        var lat = GreatCircle.RadiansToDegrees(2 * Math.Atan(Math.Exp(y / radius)) - Math.PI / 2);
        var lon = GreatCircle.RadiansToDegrees(x / radius) + centralMeridian;
        return new GeoPoint(lat, lon);
    }

    /// <summary>Equal Earth (Šavrič, Patterson, Jenny 2018) on the unit sphere.</summary>
    public static (double X, double Y) EqualEarth(GeoPoint p)
    {
        var lambda = GreatCircle.DegreesToRadians(p.Longitude);
        var phi = GreatCircle.DegreesToRadians(p.Latitude);
        var theta = Math.Asin(SqrtThreeOverTwo * Math.Sin(phi));
        var t2 = theta * theta;
        var t6 = t2 * t2 * t2;
        var denominator = 3 * (9 * A4 * t6 * t2 + 7 * A3 * t6 + 3 * A2 * t2 + A1);
        var x = 2 * Math.Sqrt(3) * lambda * Math.Cos(theta) / denominator;
        var y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
        return (x, y);
    }

    /// <summary>Inverse Equal Earth by Newton iteration on θ (converges in a handful of steps).</summary>
    public static GeoPoint InverseEqualEarth(double x, double y)
    {
        var theta = y / A1;
        for (var i = 0; i < 20; i++)
        {
            var t2 = theta * theta;
            var t6 = t2 * t2 * t2;
            var f = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2)) - y;
            var df = A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2);
            var step = f / df;
            theta -= step;
            if (Math.Abs(step) < 1e-14) break;
        }
        var tt2 = theta * theta;
        var tt6 = tt2 * tt2 * tt2;
        var denominator = 3 * (9 * A4 * tt6 * tt2 + 7 * A3 * tt6 + 3 * A2 * tt2 + A1);
        var lambda = x * denominator / (2 * Math.Sqrt(3) * Math.Cos(theta));
        var phi = Math.Asin(Math.Clamp(Math.Sin(theta) / SqrtThreeOverTwo, -1, 1));
        return new GeoPoint(GreatCircle.RadiansToDegrees(phi), GreatCircle.RadiansToDegrees(lambda));
    }

    /// <summary>
    /// The two numbers a location encoder's Fourier features see, in the order and scale of the
    /// reference implementations: G3 Mercator → (y, x)/πR; GeoCLIP Equal Earth → (x, y)·66.50336/180;
    /// none → (lat, lon) in degrees.
    /// </summary>
    public static (double First, double Second) ToModelInput(GeoPoint p, LocationProjection projection) => projection switch
    {
        LocationProjection.Mercator => MercatorInput(p),
        LocationProjection.EqualEarth => EqualEarthInput(p),
        LocationProjection.None => (p.Latitude, p.Longitude),
        _ => throw new ArgumentOutOfRangeException(nameof(projection), projection, "unknown location projection"),
    };

    private static (double, double) MercatorInput(GeoPoint p)
    {
        var (x, y) = Mercator(p);
        return (y / WebMercatorHalfExtent, x / WebMercatorHalfExtent);
    }

    private static (double, double) EqualEarthInput(GeoPoint p)
    {
        var (x, y) = EqualEarth(p);
        var s = EqualEarthScale / 180.0;
        return (x * s, y * s);
    }
}
