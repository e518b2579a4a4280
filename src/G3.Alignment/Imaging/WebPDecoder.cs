using System.Buffers.Binary;
using G3.Alignment.Imaging.Native;

namespace G3.Alignment.Imaging;

/// <summary>
/// WebP (lossy, lossless, with or without alpha) through libwebp: features first (limits,
/// animation), then RGBA into a managed buffer, then alpha composited onto white. Stateless calls.
/// </summary>
internal static unsafe class WebPDecoder
{
    public static DecodedImage Decode(ReadOnlySpan<byte> data, ImageLimits limits)
    {
        fixed (byte* src = data)
        {
            WebPNative.BitstreamFeatures features;
            var status = WebPNative.WebPGetFeaturesInternal(src, (nuint)data.Length, &features, WebPNative.DecoderAbiVersion);
            if (status == WebPNative.StatusNotEnoughData)
                throw Truncated();
            if (status != WebPNative.StatusOk)
                throw new ImageDecodeException(ImageDecodeErrorKind.Corrupt, $"the WebP header is damaged (libwebp status {status}); re-export the image");
            if (features.HasAnimation != 0)
                throw new ImageDecodeException(ImageDecodeErrorKind.Unsupported,
                    "animated WebP is not supported; send a still image (a JPEG, PNG or a single WebP frame)");
            limits.CheckDimensions("WebP", features.Width, features.Height);

            var stride = features.Width * 4;
            var length = stride * features.Height;
            // The RGBA scratch buffer is pooled: only the RGB result outlives this call.
            var rgba = ImageBuffers.Pool.Rent(length);
            try
            {
                fixed (byte* dst = rgba)
                {
                    if (WebPNative.WebPDecodeRGBAInto(src, (nuint)data.Length, dst, (nuint)length, stride) == null)
                    {
                        // This entry point gives no status; the RIFF header's declared size tells a cut file from a damaged one.
                        throw DeclaresMoreThanPresent(data) ? Truncated()
                            : new ImageDecodeException(ImageDecodeErrorKind.Corrupt, "the WebP image data is damaged; re-export the image");
                    }
                }
                var rgb = GC.AllocateUninitializedArray<byte>(features.Width * features.Height * 3);
                PixelConversions.CompositeRgbaOnWhite(rgba.AsSpan(0, length), rgb);
                return new DecodedImage(features.Width, features.Height, rgb);
            }
            finally
            {
                ImageBuffers.Pool.Return(rgba);
            }
        }
    }

    private static bool DeclaresMoreThanPresent(ReadOnlySpan<byte> data) =>
        data.Length >= 8 && BinaryPrimitives.ReadUInt32LittleEndian(data[4..]) + 8L > data.Length;

    private static ImageDecodeException Truncated() => new(ImageDecodeErrorKind.Truncated,
        "the WebP ends before its image data does; the file was cut short, upload it again");
}
