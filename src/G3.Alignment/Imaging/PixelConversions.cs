namespace G3.Alignment.Imaging;

/// <summary>Conversions from the codecs' output layouts to RGB24.</summary>
internal static class PixelConversions
{
    /// <summary>
    /// RGBA → RGB composited onto an opaque white background:
    /// <c>out = round((c·a + 255·(255 − a)) / 255)</c>. White, not black, because transparent regions of
    /// logos and screenshots are meant to be seen on a light page; a model never sees the alpha.
    /// </summary>
    public static void CompositeRgbaOnWhite(ReadOnlySpan<byte> rgba, Span<byte> rgb)
    {
        var pixels = rgba.Length / 4;
        for (var i = 0; i < pixels; i++)
        {
            var a = rgba[i * 4 + 3];
            if (a == 255)
            {
                rgb[i * 3] = rgba[i * 4];
                rgb[i * 3 + 1] = rgba[i * 4 + 1];
                rgb[i * 3 + 2] = rgba[i * 4 + 2];
                continue;
            }
            var background = 255 * (255 - a) + 127;
            rgb[i * 3] = (byte)((rgba[i * 4] * a + background) / 255);
            rgb[i * 3 + 1] = (byte)((rgba[i * 4 + 1] * a + background) / 255);
            rgb[i * 3 + 2] = (byte)((rgba[i * 4 + 2] * a + background) / 255);
        }
    }

    /// <summary>
    /// CMYK → RGB the way Pillow converts (no colour management: <c>r = (255 − k) − c·(255 − k)/255</c>),
    /// so preprocessing matches reference pipelines that open CMYK JPEGs with PIL.
    /// Input is plain CMYK (0 = no ink), i.e. Adobe-inverted values already un-inverted.
    /// </summary>
    public static void CmykToRgb(ReadOnlySpan<byte> cmyk, Span<byte> rgb)
    {
        var pixels = cmyk.Length / 4;
        for (var i = 0; i < pixels; i++)
        {
            var notK = 255 - cmyk[i * 4 + 3];
            for (var c = 0; c < 3; c++)
            {
                var t = cmyk[i * 4 + c] * notK + 128;
                var ink = ((t >> 8) + t) >> 8; // exact round(c·(255−k)/255)
                rgb[i * 3 + c] = (byte)Math.Clamp(notK - ink, 0, 255);
            }
        }
    }
}
