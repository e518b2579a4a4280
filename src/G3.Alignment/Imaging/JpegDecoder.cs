using G3.Alignment.Imaging.Native;

namespace G3.Alignment.Imaging;

/// <summary>
/// JPEG through TurboJPEG: header first (limits), then pixels, optionally at a reduced DCT scale,
/// then the EXIF orientation. One decompressor handle per call, so calls are independent and
/// thread-safe; handles are cheap next to a decode.
/// </summary>
internal static unsafe class JpegDecoder
{
    /// <summary>The reduced scales tried, smallest image first; libjpeg-turbo has fast IDCTs for these.</summary>
    private static readonly int[] ScaleDenominators = [8, 4, 2];

    public static DecodedImage Decode(ReadOnlySpan<byte> data, ImageLimits limits, int minShortSide)
    {
        var handle = TurboJpegNative.tjInitDecompress();
        if (handle == 0)
            throw new InvalidOperationException("TurboJPEG could not create a decompressor (out of memory?)");
        try
        {
            fixed (byte* src = data)
            {
                int width = 0, height = 0, subsampling, colorspace;
                // A harmless warning also makes this return -1, with the header fields filled in.
                if (TurboJpegNative.tjDecompressHeader3(handle, src, (nuint)data.Length, &width, &height, &subsampling, &colorspace) != 0
                    && !IsHarmlessWarning(handle))
                    throw Failure(handle, "header");
                limits.CheckDimensions("JPEG", width, height);

                var denominator = ChooseScaleDenominator(width, height, minShortSide);
                var scaledWidth = (width + denominator - 1) / denominator;   // TJSCALED: ceil
                var scaledHeight = (height + denominator - 1) / denominator;
                var cmyk = colorspace is TurboJpegNative.ColorspaceCmyk or TurboJpegNative.ColorspaceYcck;
                var bytesPerPixel = cmyk ? 4 : 3;
                var pixels = GC.AllocateUninitializedArray<byte>(scaledWidth * scaledHeight * bytesPerPixel);
                fixed (byte* dst = pixels)
                {
                    var rc = TurboJpegNative.tjDecompress2(handle, src, (nuint)data.Length, dst,
                        scaledWidth, scaledWidth * bytesPerPixel, scaledHeight,
                        cmyk ? TurboJpegNative.PixelFormatCmyk : TurboJpegNative.PixelFormatRgb,
                        TurboJpegNative.FlagAccurateDct | TurboJpegNative.FlagLimitScans);
                    if (rc != 0 && !IsHarmlessWarning(handle))
                        throw Failure(handle, "data");
                }

                byte[] rgb;
                if (cmyk)
                {
                    rgb = GC.AllocateUninitializedArray<byte>(scaledWidth * scaledHeight * 3);
                    if (JpegSegments.TryFind(data, 0xEE, "Adobe"u8, out _))
                        UnInvertAdobeCmyk(pixels);
                    PixelConversions.CmykToRgb(pixels, rgb);
                }
                else
                {
                    rgb = pixels;
                }
                var image = new DecodedImage(scaledWidth, scaledHeight, rgb);
                return ExifOrientation.Apply(image, ExifOrientation.ReadFromJpeg(data));
            }
        }
        finally
        {
            _ = TurboJpegNative.tjDestroy(handle);
        }
    }

    /// <summary>
    /// The largest reduction (1/8, 1/4, 1/2) whose shorter side is still at least
    /// <paramref name="minShortSide"/>; 1 (full size) when none qualifies or no target is given.
    /// The shorter side does not depend on EXIF rotation, so this is safe before orientation.
    /// </summary>
    internal static int ChooseScaleDenominator(int width, int height, int minShortSide)
    {
        if (minShortSide <= 0)
            return 1;
        foreach (var d in ScaleDenominators)
        {
            var shortSide = Math.Min((width + d - 1) / d, (height + d - 1) / d);
            if (shortSide >= minShortSide)
                return d;
        }
        return 1;
    }

    /// <summary>
    /// CMYK JPEGs with an Adobe APP14 segment (Photoshop, Pillow) store inverted ink values, and
    /// libjpeg hands them back as stored; flip them to plain CMYK (0 = no ink) as Pillow does.
    /// </summary>
    private static void UnInvertAdobeCmyk(Span<byte> cmyk)
    {
        for (var i = 0; i < cmyk.Length; i++)
            cmyk[i] = (byte)(255 - cmyk[i]);
    }

    /// <summary>libjpeg warnings that leave a complete, correct image (Pillow accepts these files too).</summary>
    private static readonly string[] HarmlessWarnings =
    [
        "extraneous bytes before marker",              // stray bytes between segments, common in camera files
        "Invalid SOS parameters for sequential JPEG",
        "Inconsistent progression sequence",
        "unknown JFIF revision number",
        "Unknown Adobe color transform code",
        "bad ICC marker",                              // colour profile damaged, pixels intact
    ];

    /// <summary>
    /// tjDecompress2 returns -1 for warnings as well as errors, and tjGetErrorCode says "warning" once
    /// any warning happened, even if a fatal error followed, so the code cannot be trusted alone.
    /// The handle's text is the fatal error's if there was one, else the first warning's; a
    /// decode is accepted only when that text is a known-harmless warning. Everything else (bad
    /// Huffman codes, data segments cut short, a premature end) means part of the photo is garbage
    /// or grey fill. A harmless first warning can hide a later damaging one; Pillow accepts those too.
    /// </summary>
    private static bool IsHarmlessWarning(nint handle)
    {
        if (TurboJpegNative.tjGetErrorCode(handle) != TurboJpegNative.ErrorWarning)
            return false;
        var message = TurboJpegNative.LastError(handle);
        return HarmlessWarnings.Any(w => message.Contains(w, StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsTruncation(string message) => message.Contains("Premature end of JPEG file", StringComparison.OrdinalIgnoreCase);

    /// <summary>libjpeg's messages for valid JPEGs it was not built to decode (arithmetic coding, 12-bit, lossless...).</summary>
    private static bool IsUnsupportedVariant(string message) =>
        message.StartsWith("Unsupported JPEG process", StringComparison.OrdinalIgnoreCase)
        || message.StartsWith("Unsupported JPEG data precision", StringComparison.OrdinalIgnoreCase)
        || message.StartsWith("Unsupported color conversion", StringComparison.OrdinalIgnoreCase)
        || message.Contains("not implemented", StringComparison.OrdinalIgnoreCase)
        || message.Contains("omitted at compile time", StringComparison.OrdinalIgnoreCase);

    private static ImageDecodeException Failure(nint handle, string stage)
    {
        var message = TurboJpegNative.LastError(handle);
        if (IsTruncation(message))
            return new ImageDecodeException(ImageDecodeErrorKind.Truncated,
                $"the JPEG ends before its image data does ({message}); the file was cut short, upload it again");
        if (IsUnsupportedVariant(message))
            return new ImageDecodeException(ImageDecodeErrorKind.Unsupported,
                $"this JPEG variant is not supported ({message}); re-save it as a standard JPEG or PNG");
        return new ImageDecodeException(ImageDecodeErrorKind.Corrupt,
            $"the JPEG {stage} is damaged ({message}); re-export the photo");
    }
}
