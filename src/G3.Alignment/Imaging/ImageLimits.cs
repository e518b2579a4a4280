using System.Globalization;

namespace G3.Alignment.Imaging;

/// <summary>
/// Bounds on what the decoder accepts. All are checked before any pixel is decoded: the byte size
/// first, then the dimensions read from the header, so a decompression bomb (a small file declaring
/// a huge image) is refused without allocating its pixels.
/// </summary>
public sealed record ImageLimits
{
    /// <summary>Largest encoded file accepted, in bytes. Default 20 MiB.</summary>
    public long MaxEncodedBytes { get; init; } = 20L * 1024 * 1024;

    /// <summary>Largest width × height accepted. Default 50 megapixels (a 8660×5773 photo).</summary>
    public long MaxPixels { get; init; } = 50_000_000;

    /// <summary>Longest side accepted, in pixels. Default 20000 (refuses 1-pixel-high strips of 50 Mpx).</summary>
    public int MaxDimension { get; init; } = 20_000;

    /// <summary>
    /// Bytes that image decoding may hold at once across the whole process (see <see cref="DecodeBudget"/>).
    /// Default 512 MiB: one 50 Mpx PNG (about 350 MB while decoding) at a time, or a dozen phone photos.
    /// </summary>
    public long DecodeBudgetBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Ceiling for <see cref="MaxPixels"/>: 4 bytes per pixel must fit one .NET array.</summary>
    public const long MaxSupportedPixels = 500_000_000;

    public static ImageLimits Default { get; } = new();

    /// <summary>Every problem with these limits, each a sentence naming the setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxEncodedBytes <= 0)
            errors.Add($"ImageLimits.MaxEncodedBytes must be positive (got {MaxEncodedBytes}).");
        if (MaxPixels is <= 0 or > MaxSupportedPixels)
            errors.Add($"ImageLimits.MaxPixels must be between 1 and {MaxSupportedPixels} (got {MaxPixels}).");
        if (MaxDimension <= 0)
            errors.Add($"ImageLimits.MaxDimension must be positive (got {MaxDimension}).");
        if (DecodeBudgetBytes < 1024 * 1024)
            errors.Add($"ImageLimits.DecodeBudgetBytes must be at least 1 MiB (got {DecodeBudgetBytes}).");
        return errors;
    }

    /// <summary>Refuses an encoded size over the limit.</summary>
    internal void CheckEncodedSize(int length)
    {
        if (length == 0)
            throw new ImageDecodeException(ImageDecodeErrorKind.Empty, "the image is empty (0 bytes); send the photo's file contents");
        if (length > MaxEncodedBytes)
            throw new ImageDecodeException(ImageDecodeErrorKind.TooLarge,
                $"the image file is {FormatBytes(length)}, the limit is {FormatBytes(MaxEncodedBytes)}; send a smaller or more compressed photo");
    }

    /// <summary>Refuses header dimensions over the limits (called before decoding any pixel).</summary>
    internal void CheckDimensions(string format, long width, long height)
    {
        if (width <= 0 || height <= 0)
            throw new ImageDecodeException(ImageDecodeErrorKind.Corrupt, $"the {format} header declares an empty image ({width}×{height})");
        var pixels = (double)width * height; // double: a forged header cannot overflow it
        if (pixels > MaxPixels)
            throw new ImageDecodeException(ImageDecodeErrorKind.TooManyPixels,
                $"the {format} image is {width}×{height} = {Megapixels(pixels)} Mpx, the limit is {Megapixels(MaxPixels)} Mpx; downscale it before sending");
        if (width > MaxDimension || height > MaxDimension)
            throw new ImageDecodeException(ImageDecodeErrorKind.TooManyPixels,
                $"the {format} image is {width}×{height}, the longest side allowed is {MaxDimension} pixels; downscale it before sending");
    }

    private static string Megapixels(double pixels) => (pixels / 1e6).ToString("0.##", CultureInfo.InvariantCulture);

    private static string FormatBytes(long bytes) => bytes >= 1024 * 1024
        ? (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB"
        : bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
}
