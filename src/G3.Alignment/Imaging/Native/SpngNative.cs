using System.Runtime.InteropServices;

namespace G3.Alignment.Imaging.Native;

/// <summary>The libspng 0.7 API (Debian's libspng0), as declared in spng.h.</summary>
internal static unsafe partial class SpngNative
{
    private const string Library = "libspng.so.0";

    // enum spng_format
    public const int FormatRgba8 = 1;

    // enum spng_decode_flags
    public const int DecodeTransparency = 1;

    // enum spng_errno (selected)
    public const int IoEof = -1;
    public const int Ok = 0;
    public const int ESignature = 4;
    public const int EUserWidth = 7;
    public const int EUserHeight = 8;
    public const int EChunkSize = 17;
    public const int EChunkCrc = 18;
    public const int EIdatTooShort = 62;
    public const int EIdatStream = 63;
    public const int EZlib = 64;
    public const int EFilter = 65;
    public const int EEof = 68;
    public const int EChunkLimits = 77;

    [StructLayout(LayoutKind.Sequential)]
    public struct Ihdr
    {
        public uint Width;
        public uint Height;
        public byte BitDepth;
        public byte ColorType;
        public byte CompressionMethod;
        public byte FilterMethod;
        public byte InterlaceMethod;
    }

    [LibraryImport(Library)]
    public static partial nint spng_ctx_new(int flags);

    [LibraryImport(Library)]
    public static partial void spng_ctx_free(nint ctx);

    [LibraryImport(Library)]
    public static partial int spng_set_png_buffer(nint ctx, byte* buf, nuint size);

    [LibraryImport(Library)]
    public static partial int spng_set_image_limits(nint ctx, uint width, uint height);

    [LibraryImport(Library)]
    public static partial int spng_set_chunk_limits(nint ctx, nuint chunkSize, nuint cacheSize);

    [LibraryImport(Library)]
    public static partial int spng_get_ihdr(nint ctx, Ihdr* ihdr);

    [LibraryImport(Library)]
    public static partial int spng_decoded_image_size(nint ctx, int fmt, nuint* len);

    [LibraryImport(Library)]
    public static partial int spng_decode_image(nint ctx, byte* output, nuint len, int fmt, int flags);

    [LibraryImport(Library)]
    public static partial nint spng_strerror(int err);

    public static string ErrorText(int err) => Marshal.PtrToStringUTF8(spng_strerror(err)) ?? $"error {err}";
}
