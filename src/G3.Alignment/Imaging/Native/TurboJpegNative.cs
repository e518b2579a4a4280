using System.Runtime.InteropServices;

namespace G3.Alignment.Imaging.Native;

/// <summary>
/// The TurboJPEG 2.x API of Debian's libturbojpeg0 (libjpeg-turbo 2.1.5), as declared in its
/// turbojpeg.h. `unsigned long` is 64-bit on linux-x64, hence nuint. libjpeg's longjmp-based error
/// handling stays inside the library: every call returns -1 and leaves a message on the handle.
/// </summary>
internal static unsafe partial class TurboJpegNative
{
    private const string Library = "libturbojpeg.so.0";

    // enum TJPF
    public const int PixelFormatRgb = 0;
    public const int PixelFormatCmyk = 11;

    // enum TJCS
    public const int ColorspaceRgb = 0, ColorspaceYCbCr = 1, ColorspaceGray = 2, ColorspaceCmyk = 3, ColorspaceYcck = 4;

    // TJFLAG_*
    public const int FlagAccurateDct = 4096;
    public const int FlagLimitScans = 32768;

    // enum TJERR
    public const int ErrorWarning = 0;

    [StructLayout(LayoutKind.Sequential)]
    public struct ScalingFactor
    {
        public int Num;
        public int Denom;
    }

    [LibraryImport(Library)]
    public static partial nint tjInitDecompress();

    [LibraryImport(Library)]
    public static partial int tjDestroy(nint handle);

    [LibraryImport(Library)]
    public static partial int tjDecompressHeader3(nint handle, byte* jpegBuf, nuint jpegSize,
        int* width, int* height, int* jpegSubsamp, int* jpegColorspace);

    [LibraryImport(Library)]
    public static partial int tjDecompress2(nint handle, byte* jpegBuf, nuint jpegSize, byte* dstBuf,
        int width, int pitch, int height, int pixelFormat, int flags);

    [LibraryImport(Library)]
    public static partial nint tjGetErrorStr2(nint handle);

    [LibraryImport(Library)]
    public static partial int tjGetErrorCode(nint handle);

    /// <summary>The handle's last error message (owned by the library; copied here).</summary>
    public static string LastError(nint handle) => Marshal.PtrToStringUTF8(tjGetErrorStr2(handle)) ?? "unknown error";
}
