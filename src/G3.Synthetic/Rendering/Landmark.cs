namespace G3.Synthetic.Rendering;

public enum LandmarkKind
{
    Spire,
    Dome,
    Arch,
    Pyramid,
    TwinTowers,
    Wheel,
}

/// <summary>
/// A big city's own landmark: a silhouette kind, colour and proportions fixed by the city's
/// GeoNames id, so every photo of that landmark shows the same thing (a street/city-level cue).
/// </summary>
public sealed record Landmark(LandmarkKind Kind, Rgb Colour, double Height, double Width, double Detail)
{
    public static Landmark ForCity(int geoNameId)
    {
        var h = SplitMix.Mix((ulong)geoNameId * 0x9E3779B97F4A7C15UL + 17);
        var kind = (LandmarkKind)(h % 6);
        var colour = Rgb.FromHsv((h >> 8 & 0xFF) / 255.0, 0.2 + (h >> 16 & 0xFF) / 255.0 * 0.6, 0.3 + (h >> 24 & 0xFF) / 255.0 * 0.6);
        var height = 0.45 + (h >> 32 & 0xFF) / 255.0 * 0.4;
        var width = 0.15 + (h >> 40 & 0xFF) / 255.0 * 0.25;
        var detail = (h >> 48 & 0xFF) / 255.0;
        return new Landmark(kind, colour, height, width, detail);
    }
}
