using System.Runtime.InteropServices;

namespace G3.Alignment.Imaging.Native;

/// <summary>The libwebp decoding API (Debian's libwebp7, 1.2.4), as declared in webp/decode.h.</summary>
internal static unsafe partial class WebPNative
{
    private const string Library = "libwebp.so.7";

    /// <summary>WEBP_DECODER_ABI_VERSION of decode.h 1.2.x; the library checks its major byte.</summary>
    public const int DecoderAbiVersion = 0x0209;

    // enum VP8StatusCode
    public const int StatusOk = 0;
    public const int StatusUnsupportedFeature = 4;
    public const int StatusNotEnoughData = 7;

    [StructLayout(LayoutKind.Sequential)]
    public struct BitstreamFeatures
    {
        public int Width;
        public int Height;
        public int HasAlpha;
        public int HasAnimation;
        public int Format; // 0 undefined/mixed, 1 lossy, 2 lossless
        public fixed uint Pad[5];
    }

    [LibraryImport(Library)]
    public static partial int WebPGetFeaturesInternal(byte* data, nuint dataSize, BitstreamFeatures* features, int version);

    [LibraryImport(Library)]
    public static partial byte* WebPDecodeRGBAInto(byte* data, nuint dataSize, byte* outputBuffer, nuint outputBufferSize, int outputStride);
}
