namespace G3.Alignment.Imaging;

/// <summary>
/// Decodes JPEG, PNG and WebP bytes to <see cref="DecodedImage"/> (RGB24, upright, alpha on white),
/// sniffing the format from the bytes. Every failure is an <see cref="ImageDecodeException"/> with a
/// <see cref="ImageDecodeErrorKind"/>; limits are enforced from headers, before pixels are decoded.
/// Thread-safe: holds no native state between calls.
/// Needs Debian's libturbojpeg0, libspng0 and libwebp7 (scripts/bootstrap.sh installs them).
/// </summary>
public sealed class ImageDecoder
{
    public ImageDecoder(ImageLimits? limits = null)
    {
        Limits = limits ?? ImageLimits.Default;
        var errors = Limits.Validate();
        if (errors.Count > 0)
            throw new ArgumentException(string.Join(" ", errors), nameof(limits));
    }

    public ImageLimits Limits { get; }

    /// <summary>Decodes at full resolution.</summary>
    public DecodedImage Decode(ReadOnlySpan<byte> encoded) => Decode(encoded, minShortSide: 0);

    /// <summary>
    /// Decodes, allowing a JPEG to be decoded at 1/2, 1/4 or 1/8 scale (in the DCT domain, much faster
    /// and lighter) as long as the result's shorter side stays at least <paramref name="minShortSide"/>.
    /// 0 means full resolution. PNG and WebP are always decoded at full resolution.
    /// </summary>
    public DecodedImage Decode(ReadOnlySpan<byte> encoded, int minShortSide)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minShortSide);
        Limits.CheckEncodedSize(encoded.Length);
        var format = ImageFormatSniffer.DetectOrThrow(encoded);
        try
        {
            return format switch
            {
                ImageFormat.Jpeg => JpegDecoder.Decode(encoded, Limits, minShortSide),
                ImageFormat.Png => PngDecoder.Decode(encoded, Limits),
                _ => WebPDecoder.Decode(encoded, Limits),
            };
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A deployment problem, not the user's image: say which library and how to install it.
            throw new InvalidOperationException(
                $"the native {format} decoder is not available ({e.Message}); install libturbojpeg0, libspng0 and libwebp7 (scripts/bootstrap.sh)", e);
        }
    }
}
