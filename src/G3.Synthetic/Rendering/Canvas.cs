namespace G3.Synthetic.Rendering;

/// <summary>
/// A square RGB float canvas with the few rasterisation primitives the scenes need: gradients,
/// rectangles, polygons (even-odd scanline), ellipses and thick lines. Coordinates are in pixels,
/// y down. Everything clips to the canvas.
/// </summary>
public sealed class Canvas
{
    private readonly float[] _px; // r, g, b interleaved

    public Canvas(int size)
    {
        if (size is < 16 or > 2048) throw new ArgumentOutOfRangeException(nameof(size), size, "image size must be 16..2048 pixels");
        Size = size;
        _px = new float[size * size * 3];
    }

    public int Size { get; }

    public void Set(int x, int y, Rgb c, float alpha = 1)
    {
        if ((uint)x >= (uint)Size || (uint)y >= (uint)Size) return;
        var i = (y * Size + x) * 3;
        if (alpha >= 1)
        {
            _px[i] = c.R; _px[i + 1] = c.G; _px[i + 2] = c.B;
        }
        else
        {
            _px[i] += (c.R - _px[i]) * alpha;
            _px[i + 1] += (c.G - _px[i + 1]) * alpha;
            _px[i + 2] += (c.B - _px[i + 2]) * alpha;
        }
    }

    /// <summary>Vertical gradient over rows [y0, y1).</summary>
    public void VerticalGradient(int y0, int y1, Rgb top, Rgb bottom)
    {
        y0 = Math.Max(0, y0);
        y1 = Math.Min(Size, y1);
        for (int y = y0; y < y1; y++)
        {
            var c = Rgb.Lerp(top, bottom, y1 - y0 <= 1 ? 0 : (float)(y - y0) / (y1 - y0 - 1));
            for (int x = 0; x < Size; x++) Set(x, y, c);
        }
    }

    public void FillRect(double x0, double y0, double x1, double y1, Rgb c, float alpha = 1)
    {
        int ix0 = Math.Max(0, (int)Math.Round(x0)), ix1 = Math.Min(Size, (int)Math.Round(x1));
        int iy0 = Math.Max(0, (int)Math.Round(y0)), iy1 = Math.Min(Size, (int)Math.Round(y1));
        for (int y = iy0; y < iy1; y++)
            for (int x = ix0; x < ix1; x++)
                Set(x, y, c, alpha);
    }

    /// <summary>Fills a polygon given as x0,y0,x1,y1,… with the even-odd rule, sampling pixel centres.</summary>
    public void FillPolygon(ReadOnlySpan<double> xy, Rgb c, float alpha = 1)
    {
        var n = xy.Length / 2;
        if (n < 3) return;
        double minY = double.MaxValue, maxY = double.MinValue;
        for (int i = 0; i < n; i++) { minY = Math.Min(minY, xy[2 * i + 1]); maxY = Math.Max(maxY, xy[2 * i + 1]); }
        int y0 = Math.Max(0, (int)Math.Floor(minY)), y1 = Math.Min(Size - 1, (int)Math.Ceiling(maxY));
        Span<double> xs = n <= 64 ? stackalloc double[n] : new double[n];
        for (int y = y0; y <= y1; y++)
        {
            var cy = y + 0.5;
            int count = 0;
            for (int i = 0, j = n - 1; i < n; j = i++)
            {
                double ay = xy[2 * i + 1], by = xy[2 * j + 1];
                if (ay > cy == by > cy) continue;
                double ax = xy[2 * i], bx = xy[2 * j];
                xs[count++] = ax + (cy - ay) * (bx - ax) / (by - ay);
            }
            xs[..count].Sort();
            for (int k = 0; k + 1 < count; k += 2)
            {
                int xa = Math.Max(0, (int)Math.Ceiling(xs[k] - 0.5)), xb = Math.Min(Size - 1, (int)Math.Floor(xs[k + 1] - 0.5));
                for (int x = xa; x <= xb; x++) Set(x, y, c, alpha);
            }
        }
    }

    public void FillEllipse(double cx, double cy, double rx, double ry, Rgb c, float alpha = 1)
    {
        if (rx <= 0 || ry <= 0) return;
        int y0 = Math.Max(0, (int)Math.Floor(cy - ry)), y1 = Math.Min(Size - 1, (int)Math.Ceiling(cy + ry));
        for (int y = y0; y <= y1; y++)
        {
            var dy = (y + 0.5 - cy) / ry;
            var h = 1 - dy * dy;
            if (h < 0) continue;
            var half = rx * Math.Sqrt(h);
            int xa = Math.Max(0, (int)Math.Ceiling(cx - half - 0.5)), xb = Math.Min(Size - 1, (int)Math.Floor(cx + half - 0.5));
            for (int x = xa; x <= xb; x++) Set(x, y, c, alpha);
        }
    }

    public void Line(double x0, double y0, double x1, double y1, double width, Rgb c, float alpha = 1)
    {
        double dx = x1 - x0, dy = y1 - y0, len = Math.Sqrt(dx * dx + dy * dy);
        if (len < 1e-9) return;
        double nx = -dy / len * width / 2, ny = dx / len * width / 2;
        FillPolygon([x0 + nx, y0 + ny, x1 + nx, y1 + ny, x1 - nx, y1 - ny, x0 - nx, y0 - ny], c, alpha);
    }

    /// <summary>Multiplies every pixel by a tint (light colour and exposure).</summary>
    public void Tint(Rgb tint)
    {
        for (int i = 0; i < _px.Length; i += 3)
        {
            _px[i] *= tint.R; _px[i + 1] *= tint.G; _px[i + 2] *= tint.B;
        }
    }

    /// <summary>Writes 8-bit RGB with additive Gaussian-like sensor noise of the given sigma (in 0..255 units).</summary>
    public void ToRgb24(Span<byte> rgb, double noiseSigma, ref SplitMix rng)
    {
        if (rgb.Length != _px.Length) throw new ArgumentException("buffer size mismatch", nameof(rgb));
        var sigma = (float)noiseSigma;
        for (int i = 0; i < _px.Length; i++)
        {
            // Sum of two uniforms: cheap, bell-shaped, deterministic.
            var u = (float)((rng.NextULong() >> 40) * (1.0 / (1UL << 24))) + (float)((rng.NextULong() >> 40) * (1.0 / (1UL << 24))) - 1f;
            var v = _px[i] * 255f + u * sigma * 1.7f;
            rgb[i] = (byte)Math.Clamp((int)(v + 0.5f), 0, 255);
        }
    }
}
