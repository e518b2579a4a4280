using System.Buffers.Binary;
using G3.Alignment.Imaging.Native;

namespace G3.Alignment.Imaging;

/// <summary>An image's dimensions from its header alone (no pixels), to size a decode's reservation.</summary>
internal static unsafe class ImageHeaders
{
    /// <summary>Width and height, or (0, 0) when the header cannot be read (the decode then reports why).</summary>
    public static (long Width, long Height) ReadSize(ImageFormat format, ReadOnlySpan<byte> data)
    {
        switch (format)
        {
            case ImageFormat.Png:
                // Signature (8) + IHDR length and type (8), then width and height, big-endian.
                return data.Length >= 24 ? (BinaryPrimitives.ReadUInt32BigEndian(data[16..]), BinaryPrimitives.ReadUInt32BigEndian(data[20..])) : (0, 0);
            case ImageFormat.Jpeg:
                var handle = TurboJpegNative.tjInitDecompress();
                if (handle == 0) return (0, 0);
                try
                {
                    fixed (byte* src = data)
                    {
                        int width = 0, height = 0, subsampling, colorspace;
                        _ = TurboJpegNative.tjDecompressHeader3(handle, src, (nuint)data.Length, &width, &height, &subsampling, &colorspace);
                        return (width, height);
                    }
                }
                finally
                {
                    _ = TurboJpegNative.tjDestroy(handle);
                }
            default:
                fixed (byte* src = data)
                {
                    WebPNative.BitstreamFeatures features;
                    return WebPNative.WebPGetFeaturesInternal(src, (nuint)data.Length, &features, WebPNative.DecoderAbiVersion) == WebPNative.StatusOk
                        ? (features.Width, features.Height) : (0, 0);
                }
        }
    }
}
