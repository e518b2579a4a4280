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
/// One landmark's look: a silhouette kind, main and accent colours, proportions and banding fixed
/// by (city's GeoNames id, site number), so every photo of that landmark shows the same object
/// (the street-level cue) while the viewpoint, light and crop change from photo to photo.
/// </summary>
public sealed record Landmark(LandmarkKind Kind, Rgb Colour, Rgb Accent, double Height, double Width, double Detail, int Bands)
{
    /// <summary>The first landmark of a city (site 0).</summary>
    public static Landmark ForCity(int geoNameId) => ForSite(geoNameId, 0);

    public static Landmark ForSite(int geoNameId, int site)
    {
        var h = SplitMix.Mix((ulong)geoNameId * 0x9E3779B97F4A7C15UL + 17 + (ulong)site * 0xD1B54A32D192ED03UL);
        var g = SplitMix.Mix(h ^ 0x5851F42D4C957F2DUL);
        var kind = (LandmarkKind)(h % 6);
        var colour = Rgb.FromHsv((h >> 8 & 0xFF) / 255.0, 0.2 + (h >> 16 & 0xFF) / 255.0 * 0.6, 0.3 + (h >> 24 & 0xFF) / 255.0 * 0.6);
        var accent = Rgb.FromHsv((g & 0xFF) / 255.0, 0.4 + (g >> 8 & 0xFF) / 255.0 * 0.5, 0.25 + (g >> 16 & 0xFF) / 255.0 * 0.7);
        var height = 0.45 + (h >> 32 & 0xFF) / 255.0 * 0.4;
        var width = 0.15 + (h >> 40 & 0xFF) / 255.0 * 0.25;
        var detail = (h >> 48 & 0xFF) / 255.0;
        var bands = (int)(g >> 24 & 3);
        return new Landmark(kind, colour, accent, height, width, detail, bands);
    }
}
