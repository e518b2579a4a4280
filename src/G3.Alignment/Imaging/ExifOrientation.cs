using System.Buffers.Binary;

namespace G3.Alignment.Imaging;

/// <summary>
/// Reads the EXIF Orientation tag (0x0112 in IFD0 of the APP1 "Exif" segment) from a JPEG and
/// applies it to decoded pixels. Cameras store the sensor's pixels and record how the phone was
/// held; models were trained on upright photos (PIL's exif_transpose), so we rotate too.
/// Every read is bounds-checked: a malformed EXIF block means "no orientation", never an error.
/// </summary>
public static class ExifOrientation
{
    private const ushort OrientationTag = 0x0112;

    /// <summary>The orientation (1–8) declared by a JPEG, or 1 (upright) when absent or malformed.</summary>
    public static int ReadFromJpeg(ReadOnlySpan<byte> jpeg)
    {
        return JpegSegments.TryFind(jpeg, 0xE1, "Exif\0\0"u8, out var exif) ? ReadFromTiff(exif[6..]) : 1;
    }

    /// <summary>The Orientation tag of a TIFF-structured EXIF block, or 1.</summary>
    internal static int ReadFromTiff(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8)
            return 1;
        bool little;
        if (tiff[0] == (byte)'I' && tiff[1] == (byte)'I') little = true;
        else if (tiff[0] == (byte)'M' && tiff[1] == (byte)'M') little = false;
        else return 1;
        if (U16(tiff[2..], little) != 42)
            return 1;
        var ifd = U32(tiff[4..], little);
        if (ifd < 8 || ifd > (uint)tiff.Length - 2)
            return 1;
        var count = U16(tiff[(int)ifd..], little);
        var entries = (int)ifd + 2;
        for (var i = 0; i < count; i++)
        {
            var e = entries + i * 12;
            if (e + 12 > tiff.Length)
                return 1;
            if (U16(tiff[e..], little) != OrientationTag)
                continue;
            var type = U16(tiff[(e + 2)..], little);
            // SHORT (3) is the spec; some writers use LONG (4).
            uint value = type switch
            {
                3 => U16(tiff[(e + 8)..], little),
                4 => U32(tiff[(e + 8)..], little),
                _ => 1,
            };
            return value is >= 1 and <= 8 ? (int)value : 1;
        }
        return 1;
    }

    /// <summary>
    /// Returns the image turned upright for an EXIF orientation (1–8); 5–8 swap width and height.
    /// Same result as PIL's ImageOps.exif_transpose.
    /// </summary>
    public static DecodedImage Apply(DecodedImage image, int orientation)
    {
        if (orientation is < 2 or > 8)
            return image;
        int w = image.Width, h = image.Height;
        var swap = orientation >= 5;
        int ow = swap ? h : w, oh = swap ? w : h;
        var src = image.Rgb;
        var dst = GC.AllocateUninitializedArray<byte>(src.Length);
        for (var oy = 0; oy < oh; oy++)
        {
            for (var ox = 0; ox < ow; ox++)
            {
                // Source pixel for each output pixel, per orientation.
                var (sx, sy) = orientation switch
                {
                    2 => (w - 1 - ox, oy),              // mirror horizontally
                    3 => (w - 1 - ox, h - 1 - oy),      // rotate 180
                    4 => (ox, h - 1 - oy),              // mirror vertically
                    5 => (oy, ox),                      // transpose
                    6 => (oy, h - 1 - ox),              // rotate 90 clockwise
                    7 => (w - 1 - oy, h - 1 - ox),      // transverse
                    _ => (w - 1 - oy, ox),              // 8: rotate 90 counter-clockwise
                };
                var s = (sy * w + sx) * 3;
                var d = (oy * ow + ox) * 3;
                dst[d] = src[s];
                dst[d + 1] = src[s + 1];
                dst[d + 2] = src[s + 2];
            }
        }
        return new DecodedImage(ow, oh, dst);
    }

    private static ushort U16(ReadOnlySpan<byte> b, bool little) =>
        b.Length < 2 ? (ushort)0 : little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);

    private static uint U32(ReadOnlySpan<byte> b, bool little) =>
        b.Length < 4 ? 0u : little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);
}
