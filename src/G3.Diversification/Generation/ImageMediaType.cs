namespace G3.Diversification.Generation;

/// <summary>The media type to declare for an image sent to a provider, from its magic bytes.</summary>
internal static class ImageMediaType
{
    public static string Sniff(ReadOnlySpan<byte> bytes, string? declared)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return "image/jpeg";
        if (bytes.Length >= 8 && bytes[..8].SequenceEqual<byte>([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return "image/png";
        if (bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8)) return "image/webp";
        // A declared type goes into a data URI inside the prompt's markup: only a plain "type/subtype" is taken.
        return declared is not null && System.Text.RegularExpressions.Regex.IsMatch(declared, "^[A-Za-z]+/[A-Za-z0-9.+-]+$") ? declared : "image/jpeg";
    }
}
