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

    /// <summary>Bytes a decode holds per pixel at its peak: a 4-byte scratch buffer (RGBA, CMYK) plus the 3-byte RGB result.</summary>
    private const int WorkingBytesPerPixel = 7;

    /// <summary>The process-wide decode budget for these limits.</summary>
    public DecodeBudget Budget => DecodeBudget.For(Limits.DecodeBudgetBytes);

    /// <summary>
    /// Reserves, from <see cref="Budget"/>, the memory decoding <paramref name="encoded"/> at
    /// <paramref name="minShortSide"/> will hold, waiting while other decodes hold the budget. Keep the
    /// lease until the decoded pixels are no longer needed. Oversized headers reserve nothing: the decode refuses them.
    /// </summary>
    public IDisposable Reserve(ReadOnlySpan<byte> encoded, int minShortSide, CancellationToken cancellationToken = default)
    {
        if (encoded.Length == 0 || ImageFormatSniffer.Detect(encoded) is not { } format)
            return Budget.Acquire(1, cancellationToken);
        var (width, height) = ImageHeaders.ReadSize(format, encoded);
        if (width <= 0 || height <= 0 || (double)width * height > Limits.MaxPixels || width > Limits.MaxDimension || height > Limits.MaxDimension)
            return Budget.Acquire(1, cancellationToken);
        if (format == ImageFormat.Jpeg)
        {
            var d = JpegDecoder.ChooseScaleDenominator((int)width, (int)height, minShortSide);
            (width, height) = ((width + d - 1) / d, (height + d - 1) / d);
        }
        return Budget.Acquire(width * height * WorkingBytesPerPixel, cancellationToken);
    }

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
