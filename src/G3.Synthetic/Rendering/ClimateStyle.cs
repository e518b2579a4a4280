namespace G3.Synthetic.Rendering;

public enum Biome
{
    Polar,
    Boreal,
    Temperate,
    Arid,
    Tropical,
}

/// <summary>
/// What latitude and continent decide: biome (ground, foliage, vegetation kind), sky colours and
/// the sun's height (low, warm light far from the equator; high, white light near it).
/// </summary>
public sealed record ClimateStyle(Biome Biome, Rgb SkyTop, Rgb SkyHorizon, Rgb Ground, Rgb GroundFar, Rgb Foliage, double SunElevationDeg, Rgb Light)
{
    public static ClimateStyle For(double lat, double lon, string? continent)
    {
        var a = Math.Abs(lat);
        var biome = continent == "Antarctica" || a > 64 ? Biome.Polar
            : IsArid(lat, lon, continent) ? Biome.Arid
            : a < 20 ? Biome.Tropical
            : a > 52 ? Biome.Boreal
            : Biome.Temperate;
        // Noon sun at the equinox: 90° − |lat|; light warms as the sun gets lower.
        var sun = 90 - a;
        var warmth = (float)Math.Clamp((60 - sun) / 60, 0, 1);
        var light = new Rgb(1.0f + 0.08f * warmth, 1.0f, 1.0f - 0.18f * warmth);
        return biome switch
        {
            Biome.Polar => new(biome, new(0.55f, 0.68f, 0.85f), new(0.86f, 0.9f, 0.94f), new(0.9f, 0.92f, 0.95f), new(0.75f, 0.8f, 0.88f), new(0.35f, 0.4f, 0.38f), sun, light),
            Biome.Boreal => new(biome, new(0.4f, 0.55f, 0.78f), new(0.78f, 0.84f, 0.9f), new(0.22f, 0.33f, 0.2f), new(0.35f, 0.42f, 0.4f), new(0.1f, 0.26f, 0.14f), sun, light),
            Biome.Temperate => new(biome, new(0.3f, 0.5f, 0.85f), new(0.75f, 0.85f, 0.95f), new(0.33f, 0.5f, 0.22f), new(0.45f, 0.55f, 0.4f), new(0.2f, 0.42f, 0.15f), sun, light),
            Biome.Arid => new(biome, new(0.35f, 0.55f, 0.9f), new(0.9f, 0.85f, 0.75f), new(0.82f, 0.68f, 0.45f), new(0.78f, 0.62f, 0.45f), new(0.45f, 0.5f, 0.25f), sun, light),
            _ => new(biome, new(0.15f, 0.45f, 0.85f), new(0.7f, 0.85f, 0.9f), new(0.2f, 0.48f, 0.16f), new(0.3f, 0.5f, 0.3f), new(0.08f, 0.45f, 0.12f), sun, light),
        };
    }

    /// <summary>The great deserts and steppes, as coarse boxes (Sahara/Arabia/Iran, Central Asia, Australia, the US south-west, Atacama, Kalahari).</summary>
    private static bool IsArid(double lat, double lon, string? continent) => continent switch
    {
        "Africa" => lat is > 15 and < 32 || lat is > -28 and < -18 && lon < 26 || lat is > 0 and <= 15 && lon > 38, // + the Horn
        "Asia" => lon is > 34 and < 72 && lat is > 14 and < 42 || lon is > 72 and < 110 && lat is > 36 and < 48,
        "Oceania" => lat is > -33 and < -19 && lon is > 117 and < 145,
        "North America" => lat is > 24 and < 38 && lon is > -119 and < -102,
        "South America" => lat is > -30 and < -15 && lon < -68,
        _ => false,
    };
}
