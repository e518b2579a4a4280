using G3.Synthetic.Rendering;

namespace G3.Synthetic.Describing;

/// <summary>
/// Plain-English names for the renderer's colours ("dark red", "pale blue", "grey"), coarse enough that
/// a person describing the photo would use them: twelve hues, three lightness words, greys by value.
/// </summary>
public static class ColourNames
{
    private static readonly string[] Hues =
        ["red", "orange", "amber", "yellow", "lime", "green", "teal", "cyan", "blue", "indigo", "purple", "pink"];

    public static string Name(Rgb c)
    {
        double r = Math.Clamp(c.R, 0, 1), g = Math.Clamp(c.G, 0, 1), b = Math.Clamp(c.B, 0, 1);
        var max = Math.Max(r, Math.Max(g, b));
        var min = Math.Min(r, Math.Min(g, b));
        var saturation = max <= 0 ? 0 : (max - min) / max;
        if (saturation < 0.18)
            return max switch { < 0.25 => "black", < 0.5 => "dark grey", < 0.8 => "grey", _ => "white" };
        var hue = HueOf(r, g, b, max, min);
        var name = Hues[(int)Math.Round(hue * Hues.Length) % Hues.Length];
        return max switch { < 0.4 => "dark " + name, > 0.85 when saturation < 0.45 => "pale " + name, _ => name };
    }

    /// <summary>Hue in 0..1 (0 red, 1/3 green, 2/3 blue).</summary>
    private static double HueOf(double r, double g, double b, double max, double min)
    {
        var d = max - min;
        double h;
        if (max == r) h = (g - b) / d % 6;
        else if (max == g) h = (b - r) / d + 2;
        else h = (r - g) / d + 4;
        return (h / 6 % 1 + 1) % 1;
    }
}
