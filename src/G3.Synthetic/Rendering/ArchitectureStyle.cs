using G3.Core.Geo;

namespace G3.Synthetic.Rendering;

public enum RoofKind
{
    Flat,
    Gabled,
    Dome,
    Pagoda,
}

/// <summary>
/// What the country decides: wall palette, roof kind and colour, building height and window
/// rhythm. Each trait is a smooth function of the country's centroid on the unit sphere plus a
/// small per-country perturbation, so neighbouring countries look alike (country-level confusion
/// exists, as in real photos) while far-apart ones differ.
/// </summary>
public sealed record ArchitectureStyle(Rgb[] Walls, Rgb RoofColour, RoofKind Roof, double Floors, double WindowDensity, double Width, Rgb Window)
{
    public static ArchitectureStyle For(GeoPoint centroid, string countryCode)
    {
        var phi = centroid.Latitude * Math.PI / 180;
        var lambda = centroid.Longitude * Math.PI / 180;
        double x = Math.Cos(phi) * Math.Cos(lambda), y = Math.Cos(phi) * Math.Sin(lambda), z = Math.Sin(phi);
        var h = SplitMix.Hash(countryCode);
        double Jitter(int k, double amount) => ((h >> (k * 8) & 0xFF) / 255.0 - 0.5) * 2 * amount;
        // Low-frequency fields: a few cycles around the globe, so ~1000 km apart looks similar.
        double Field(double a, double b, double c, double d) => 0.5 + 0.5 * Math.Sin(a * x + b * y + c * z + d);

        var hue = Field(2.3, 1.7, -2.9, 0.4) + Jitter(0, 0.06);
        var sat = Math.Clamp(0.15 + 0.45 * Field(-1.9, 2.6, 1.1, 2.0) + Jitter(1, 0.08), 0.05, 0.8);
        var val = Math.Clamp(0.55 + 0.35 * Field(1.3, -2.2, 2.4, 1.0) + Jitter(2, 0.06), 0.35, 0.95);
        var walls = new[]
        {
            Rgb.FromHsv(hue, sat, val),
            Rgb.FromHsv(hue + 0.05, sat * 0.8, val * 0.92),
            Rgb.FromHsv(hue - 0.04, sat * 1.1, Math.Min(1, val * 1.05)),
        };
        var roofField = Field(3.1, 2.1, 1.4, 4.0) + Jitter(3, 0.12);
        var roof = roofField switch
        {
            < 0.3 => RoofKind.Flat,
            < 0.62 => RoofKind.Gabled,
            < 0.82 => RoofKind.Dome,
            _ => RoofKind.Pagoda,
        };
        var roofHue = Field(-2.7, 1.2, 2.2, 5.0) + Jitter(4, 0.05);
        var roofColour = Rgb.FromHsv(roofHue, 0.35 + 0.4 * Field(1.0, 1.0, -3.0, 0.0), 0.3 + 0.4 * Field(2.0, -1.0, 1.0, 3.0));
        var floors = 2 + 10 * Field(-1.2, -2.8, 1.9, 0.7) + Jitter(5, 1.0);
        var windows = 0.3 + 0.6 * Field(2.8, 0.9, -1.6, 2.4) + Jitter(6, 0.08);
        var width = 0.7 + 0.6 * Field(-3.3, 1.4, 0.8, 1.7) + Jitter(7, 0.1);
        var window = Rgb.FromHsv(0.58 + 0.1 * Field(1.0, 2.0, 3.0, 0.0), 0.3, 0.25 + 0.3 * Field(3.0, 1.0, 2.0, 1.0));
        return new ArchitectureStyle(walls, roofColour, roof, floors, windows, width, window);
    }
}
