namespace G3.Alignment.Imaging;

/// <summary>
/// A decoded image: 8-bit RGB, 3 bytes per pixel (R, G, B), rows top to bottom with no padding,
/// EXIF orientation already applied and any alpha already composited onto white.
/// </summary>
public sealed class DecodedImage
{
    public DecodedImage(int width, int height, byte[] rgb)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(rgb);
        if (rgb.LongLength != (long)width * height * 3)
            throw new ArgumentException($"expected {(long)width * height * 3} bytes for {width}×{height} RGB, got {rgb.LongLength}", nameof(rgb));
        Width = width;
        Height = height;
        Rgb = rgb;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Row-major RGB24 pixels; length = Width × Height × 3.</summary>
    public byte[] Rgb { get; }

    /// <summary>Bytes per row (Width × 3).</summary>
    public int Stride => Width * 3;

    /// <summary>The (R, G, B) of one pixel; for tests and diagnostics, not for hot loops.</summary>
    public (byte R, byte G, byte B) GetPixel(int x, int y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(x);
        ArgumentOutOfRangeException.ThrowIfNegative(y);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(x, Width);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, Height);
        var i = (y * Width + x) * 3;
        return (Rgb[i], Rgb[i + 1], Rgb[i + 2]);
    }
}
