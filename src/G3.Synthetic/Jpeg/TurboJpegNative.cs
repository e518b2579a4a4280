using System.Runtime.InteropServices;

namespace G3.Synthetic.Jpeg;

/// <summary>
/// The few TurboJPEG 2.x entry points JPEG encoding needs (libturbojpeg.so.0, Debian's
/// libturbojpeg0, installed by scripts/bootstrap.sh). Signatures follow turbojpeg.h; its
/// <c>unsigned long</c> is 64-bit on linux-x64, hence <see cref="nuint"/>.
/// </summary>
internal static partial class TurboJpegNative
{
    private const string Library = "libturbojpeg.so.0";

    public const int PixelFormatRgb = 0;   // TJPF_RGB
    public const int Subsampling420 = 2;   // TJSAMP_420

    [LibraryImport(Library, EntryPoint = "tjInitCompress")]
    public static partial IntPtr InitCompress();

    [LibraryImport(Library, EntryPoint = "tjCompress2")]
    public static unsafe partial int Compress2(
        IntPtr handle, byte* srcBuf, int width, int pitch, int height, int pixelFormat,
        ref IntPtr jpegBuf, ref nuint jpegSize, int jpegSubsamp, int jpegQual, int flags);

    [LibraryImport(Library, EntryPoint = "tjFree")]
    public static partial void Free(IntPtr buffer);

    [LibraryImport(Library, EntryPoint = "tjDestroy")]
    public static partial int Destroy(IntPtr handle);

    [LibraryImport(Library, EntryPoint = "tjGetErrorStr2")]
    public static partial IntPtr GetErrorStr2(IntPtr handle);
}
