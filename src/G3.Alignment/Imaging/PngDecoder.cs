using G3.Alignment.Imaging.Native;

namespace G3.Alignment.Imaging;

/// <summary>
/// PNG through libspng: IHDR first (limits), then every bit depth and colour type (palette, grey,
/// grey+alpha, RGB, RGBA; 16-bit reduced to its high byte, tRNS applied) as RGBA8, then alpha
/// composited onto white. One context per call.
/// </summary>
internal static unsafe class PngDecoder
{
    /// <summary>Largest single ancillary chunk kept, and total cache of them: bounds zTXt/iCCP inflation.</summary>
    private const int ChunkSizeLimit = 16 * 1024 * 1024, ChunkCacheLimit = 64 * 1024 * 1024;

    public static DecodedImage Decode(ReadOnlySpan<byte> data, ImageLimits limits)
    {
        var ctx = SpngNative.spng_ctx_new(0);
        if (ctx == 0)
            throw new InvalidOperationException("libspng could not create a decoder context (out of memory?)");
        try
        {
            fixed (byte* src = data)
            {
                Check(SpngNative.spng_set_png_buffer(ctx, src, (nuint)data.Length));
                Check(SpngNative.spng_set_chunk_limits(ctx, ChunkSizeLimit, ChunkCacheLimit));
                SpngNative.Ihdr ihdr;
                Check(SpngNative.spng_get_ihdr(ctx, &ihdr));
                limits.CheckDimensions("PNG", ihdr.Width, ihdr.Height);

                nuint size;
                Check(SpngNative.spng_decoded_image_size(ctx, SpngNative.FormatRgba8, &size));
                var expected = (long)ihdr.Width * ihdr.Height * 4;
                if ((long)size != expected)
                    throw new ImageDecodeException(ImageDecodeErrorKind.Corrupt, $"the PNG decoder reported {size} bytes for a {ihdr.Width}×{ihdr.Height} image");
                // The RGBA scratch buffer is pooled: only the RGB result outlives this call.
                var rgba = ImageBuffers.Pool.Rent((int)expected);
                try
                {
                    fixed (byte* dst = rgba)
                        Check(SpngNative.spng_decode_image(ctx, dst, size, SpngNative.FormatRgba8, SpngNative.DecodeTransparency));
                    var rgb = GC.AllocateUninitializedArray<byte>((int)(ihdr.Width * ihdr.Height * 3));
                    PixelConversions.CompositeRgbaOnWhite(rgba.AsSpan(0, (int)expected), rgb);
                    return new DecodedImage((int)ihdr.Width, (int)ihdr.Height, rgb);
                }
                finally
                {
                    ImageBuffers.Pool.Return(rgba);
                }
            }
        }
        finally
        {
            SpngNative.spng_ctx_free(ctx);
        }
    }

    private static void Check(int rc)
    {
        if (rc == SpngNative.Ok)
            return;
        var text = SpngNative.ErrorText(rc);
        throw rc switch
        {
            SpngNative.IoEof or SpngNative.EEof or SpngNative.EIdatTooShort => new ImageDecodeException(ImageDecodeErrorKind.Truncated,
                $"the PNG ends before its image data does ({text}); the file was cut short, upload it again"),
            SpngNative.EChunkLimits => new ImageDecodeException(ImageDecodeErrorKind.TooLarge,
                $"the PNG carries an oversized metadata chunk ({text}); strip the metadata and try again"),
            SpngNative.EChunkCrc => new ImageDecodeException(ImageDecodeErrorKind.Corrupt,
                $"the PNG is damaged: a chunk checksum does not match ({text}); re-export the image"),
            _ => new ImageDecodeException(ImageDecodeErrorKind.Corrupt, $"the PNG is damaged ({text}); re-export the image"),
        };
    }
}
