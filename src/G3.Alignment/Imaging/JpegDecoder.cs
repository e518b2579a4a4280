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
                int width, height, subsampling, colorspace;
                if (TurboJpegNative.tjDecompressHeader3(handle, src, (nuint)data.Length, &width, &height, &subsampling, &colorspace) != 0)
                    throw Failure(handle, "header");
                limits.CheckDimensions("JPEG", width, height);

                var denominator = ChooseScaleDenominator(width, height, minShortSide);
                var scaledWidth = (width + denominator - 1) / denominator;   // TJSCALED: ceil
                var scaledHeight = (height + denominator - 1) / denominator;
                var cmyk = colorspace is TurboJpegNative.ColorspaceCmyk or TurboJpegNative.ColorspaceYcck;
                var bytesPerPixel = cmyk ? 4 : 3;
                var pixels = new byte[checked(scaledWidth * scaledHeight * bytesPerPixel)];
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
                    rgb = new byte[scaledWidth * scaledHeight * 3];
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

    /// <summary>
    /// libjpeg warns and carries on for damage it can paper over. A premature end means part of the
    /// photo is grey fill: refuse it. Other warnings (stray bytes before a marker, common in camera
    /// files) leave a complete image, which Pillow also accepts.
    /// </summary>
    private static bool IsHarmlessWarning(nint handle) =>
        TurboJpegNative.tjGetErrorCode(handle) == TurboJpegNative.ErrorWarning && !IsTruncation(TurboJpegNative.LastError(handle));

    private static bool IsTruncation(string message) => message.Contains("Premature end", StringComparison.OrdinalIgnoreCase);

    private static ImageDecodeException Failure(nint handle, string stage)
    {
        var message = TurboJpegNative.LastError(handle);
        if (IsTruncation(message))
            return new ImageDecodeException(ImageDecodeErrorKind.Truncated,
                $"the JPEG ends before its image data does ({message}); the file was cut short, upload it again");
        if (message.Contains("Unsupported", StringComparison.OrdinalIgnoreCase))
            return new ImageDecodeException(ImageDecodeErrorKind.Unsupported,
                $"this JPEG variant is not supported ({message}); re-save it as a standard JPEG or PNG");
        return new ImageDecodeException(ImageDecodeErrorKind.Corrupt,
            $"the JPEG {stage} is damaged ({message}); re-export the photo");
    }
}
