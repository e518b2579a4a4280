using System.Globalization;

namespace G3.Core.Geo;

/// <summary>
/// A validated position on the WGS84 sphere in degrees. Latitude must lie in [-90, 90];
/// longitude may be any finite value and is normalised into [-180, 180] (181 becomes -179,
/// while exactly 180 and -180 are kept as given, both naming the antimeridian).
/// </summary>
public readonly record struct GeoPoint
{
    public double Latitude { get; }
    public double Longitude { get; }

    public GeoPoint(double latitude, double longitude)
    {
        if (!double.IsFinite(latitude))
            throw new ArgumentOutOfRangeException(nameof(latitude), latitude, "latitude must be a finite number of degrees");
        if (latitude is < -90 or > 90)
            throw new ArgumentOutOfRangeException(nameof(latitude), latitude,
                string.Create(CultureInfo.InvariantCulture, $"latitude {latitude} is outside -90..90 degrees"));
        if (!double.IsFinite(longitude))
            throw new ArgumentOutOfRangeException(nameof(longitude), longitude, "longitude must be a finite number of degrees");
        Latitude = latitude;
        Longitude = NormalizeLongitude(longitude);
    }

    /// <summary>Creates a point, or returns false with the reason when the values are invalid.</summary>
    public static bool TryCreate(double latitude, double longitude, out GeoPoint point, out string? error)
    {
        point = default;
        error = null;
        if (!double.IsFinite(latitude) || !double.IsFinite(longitude))
        {
            error = "latitude and longitude must be finite numbers";
            return false;
        }
        if (latitude is < -90 or > 90)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"latitude {latitude} is outside -90..90 degrees");
            return false;
        }
        point = new GeoPoint(latitude, longitude);
        return true;
    }

    /// <summary>Wraps any finite longitude into [-180, 180].</summary>
    public static double NormalizeLongitude(double longitude)
    {
        if (longitude is >= -180 and <= 180) return longitude;
        var wrapped = ((longitude + 180) % 360 + 360) % 360 - 180;
        // The modulo can produce -180 for inputs like 540; both ends name the same meridian.
        return wrapped;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"({Latitude:0.######}, {Longitude:0.######})");
}
