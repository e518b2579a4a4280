namespace G3.Synthetic.Rendering;

/// <summary>A colour with float channels in 0..1 (so tints and blends need no clamping until written).</summary>
public readonly record struct Rgb(float R, float G, float B)
{
    public static Rgb Lerp(Rgb a, Rgb b, float t) => new(a.R + (b.R - a.R) * t, a.G + (b.G - a.G) * t, a.B + (b.B - a.B) * t);

    public Rgb Scale(float k) => new(R * k, G * k, B * k);

    public Rgb Times(Rgb tint) => new(R * tint.R, G * tint.G, B * tint.B);

    /// <summary>From hue (0..1, wraps), saturation and value.</summary>
    public static Rgb FromHsv(double h, double s, double v)
    {
        h = (h % 1 + 1) % 1 * 6;
        var i = (int)h;
        var f = h - i;
        double p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
        var (r, g, b) = i switch
        {
            0 => (v, t, p),
            1 => (q, v, p),
            2 => (p, v, t),
            3 => (p, q, v),
            4 => (t, p, v),
            _ => (v, p, q),
        };
        return new Rgb((float)r, (float)g, (float)b);
    }
}
