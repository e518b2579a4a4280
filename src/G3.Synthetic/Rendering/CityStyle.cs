using G3.Core.Geo;

namespace G3.Synthetic.Rendering;

/// <summary>
/// What the region and the city decide below the country: door/awning accent colour, pavement
/// tone and street-sign colour. Each is a smooth field over the sphere with a wavelength of a few
/// hundred km (so cities of one region share them, the 200 km cue), plus a small per-city
/// perturbation (the 25 km cue).
/// </summary>
public sealed record CityStyle(Rgb Accent, Rgb Pavement, Rgb Sign)
{
    // Wave vectors on the unit sphere; |k| ≈ 50–90 rad⁻¹ gives wavelengths of 450–800 km.
    private static readonly double[][] Waves =
    [
        [41, -37, 29], [-33, 52, 18], [27, 31, -58], [-61, -22, 35], [48, 44, 39], [-19, -57, -42],
    ];

    public static CityStyle For(GeoPoint cityCentre, int geoNameId)
    {
        var phi = cityCentre.Latitude * Math.PI / 180;
        var lambda = cityCentre.Longitude * Math.PI / 180;
        double x = Math.Cos(phi) * Math.Cos(lambda), y = Math.Cos(phi) * Math.Sin(lambda), z = Math.Sin(phi);
        double Field(int k, double phase) => 0.5 + 0.5 * Math.Sin(Waves[k][0] * x + Waves[k][1] * y + Waves[k][2] * z + phase);
        var h = SplitMix.Mix((ulong)geoNameId * 0xA24BAED4963EE407UL + 5);
        double Jitter(int k, double amount) => ((h >> (k * 8) & 0xFF) / 255.0 - 0.5) * 2 * amount;

        var accent = Rgb.FromHsv(Field(0, 0.3) + Jitter(0, 0.05), 0.45 + 0.45 * Field(1, 1.1), 0.35 + 0.55 * Field(2, 2.0) + Jitter(1, 0.05));
        var paveTone = 0.3 + 0.45 * Field(3, 0.7) + Jitter(2, 0.04);
        var pavement = Rgb.FromHsv(0.05 + 0.6 * Field(4, 1.9), 0.05 + 0.25 * Field(5, 0.2), paveTone);
        var sign = Rgb.FromHsv(Field(5, 2.6) + Jitter(3, 0.06), 0.7, 0.35 + 0.5 * Field(1, 0.4) + Jitter(4, 0.05));
        return new CityStyle(accent, pavement, sign);
    }
}
