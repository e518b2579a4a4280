using System.Buffers.Binary;

namespace G3.Alignment.Imaging;

/// <summary>Walks a JPEG's metadata segments (those before the first scan), bounds-checked.</summary>
internal static class JpegSegments
{
    /// <summary>
    /// The payload of the first segment with <paramref name="marker"/> whose payload starts with
    /// <paramref name="signature"/>; false when there is none or the structure is malformed.
    /// </summary>
    public static bool TryFind(ReadOnlySpan<byte> jpeg, byte marker, ReadOnlySpan<byte> signature, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
            return false;
        var pos = 2;
        while (pos + 4 <= jpeg.Length)
        {
            if (jpeg[pos] != 0xFF)
                return false; // lost sync: not a marker where one must be
            var m = jpeg[pos + 1];
            if (m == 0xFF) { pos++; continue; }                                     // fill byte
            if (m == 0xD8 || m is >= 0xD0 and <= 0xD7 || m == 0x01) { pos += 2; continue; } // markers without length
            if (m == 0xDA || m == 0xD9)
                return false; // start of scan / end of image: metadata is over
            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.Slice(pos + 2, 2));
            if (length < 2 || pos + 2 + length > jpeg.Length)
                return false;
            var body = jpeg.Slice(pos + 4, length - 2);
            if (m == marker && body.StartsWith(signature))
            {
                payload = body;
                return true;
            }
            pos += 2 + length;
        }
        return false;
    }
}
