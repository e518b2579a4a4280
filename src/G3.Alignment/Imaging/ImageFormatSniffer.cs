using System.Text;

namespace G3.Alignment.Imaging;

/// <summary>
/// Identifies an image by its magic bytes, never by a declared media type or file name (those are
/// often wrong). Formats it recognises but cannot decode are named in the error, so the user knows
/// what to convert.
/// </summary>
public static class ImageFormatSniffer
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static ReadOnlySpan<byte> IcoSignature => [0x00, 0x00, 0x01, 0x00];
    private static ReadOnlySpan<byte> JpegXlCodestream => [0xFF, 0x0A];
    private static ReadOnlySpan<byte> JpegXlContainer => [0x00, 0x00, 0x00, 0x0C, (byte)'J', (byte)'X', (byte)'L', (byte)' '];

    /// <summary>The format of <paramref name="data"/>, or null when it is none of JPEG, PNG, WebP.</summary>
    public static ImageFormat? Detect(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
            return ImageFormat.Jpeg;
        if (data.StartsWith(PngSignature))
            return ImageFormat.Png;
        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8))
            return ImageFormat.WebP;
        return null;
    }

    /// <summary>The format of <paramref name="data"/>; throws <see cref="ImageDecodeException"/> (Empty or Unsupported) otherwise.</summary>
    public static ImageFormat DetectOrThrow(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
            throw new ImageDecodeException(ImageDecodeErrorKind.Empty, "the image is empty (0 bytes); send the photo's file contents");
        return Detect(data) ?? throw new ImageDecodeException(ImageDecodeErrorKind.Unsupported,
            $"unsupported image format ({Describe(data)}); send a JPEG, PNG or WebP image");
    }

    /// <summary>A short human description of what unsupported bytes look like.</summary>
    internal static string Describe(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8)) return "GIF";
        if (data.StartsWith("BM"u8)) return "looks like BMP";
        if (data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8)) return "TIFF";
        if (data.StartsWith("%PDF"u8)) return "PDF";
        if (data.StartsWith(IcoSignature)) return "ICO";
        if (data.StartsWith(JpegXlCodestream) || data.StartsWith(JpegXlContainer))
            return "JPEG XL";
        if (data.Length >= 12 && data.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            var brand = data.Slice(8, 4);
            if (brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8)) return "AVIF";
            if (brand.StartsWith("hei"u8) || brand.StartsWith("hev"u8) || brand.SequenceEqual("mif1"u8) || brand.SequenceEqual("msf1"u8))
                return "HEIC/HEIF";
            return "an ISO media file (video or HEIF)";
        }
        if (data.StartsWith("RIFF"u8)) return "a RIFF file that is not WebP";
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8) return "a damaged JPEG start marker";
        if (LooksLikeText(data))
        {
            var head = data[..Math.Min(data.Length, 32)];
            return "looks like text: \"" + Encoding.UTF8.GetString(head).ReplaceLineEndings(" ").Trim() + (data.Length > 32 ? "...\"" : "\"");
        }
        return "starts with bytes " + Convert.ToHexString(data[..Math.Min(data.Length, 8)]);
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> data)
    {
        var head = data[..Math.Min(data.Length, 512)];
        foreach (var b in head)
        {
            // Control bytes other than tab/CR/LF mean binary; bytes >= 0x80 may be UTF-8 text.
            if (b < 0x20 && b != (byte)'\t' && b != (byte)'\n' && b != (byte)'\r')
                return false;
        }
        return Utf8IsValidPrefix(head);
    }

    private static bool Utf8IsValidPrefix(ReadOnlySpan<byte> head)
    {
        // A 512-byte cut may split a multi-byte character; allow up to 3 trailing bytes to be incomplete.
        for (var trim = 0; trim <= Math.Min(3, head.Length - 1); trim++)
        {
            if (System.Text.Unicode.Utf8.IsValid(head[..(head.Length - trim)]))
                return true;
        }
        return false;
    }
}
