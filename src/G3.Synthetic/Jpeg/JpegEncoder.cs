using System.Runtime.InteropServices;

namespace G3.Synthetic.Jpeg;

/// <summary>
/// Encodes RGB pixels to JPEG with libjpeg-turbo. One instance per thread (a TurboJPEG handle is
/// not thread-safe). Uses the accurate integer DCT (the library's default), whose SIMD and C
/// versions give identical bytes, so output is deterministic for identical input.
/// </summary>
public sealed class JpegEncoder : IDisposable
{
    private IntPtr _handle;

    public JpegEncoder()
    {
        try
        {
            _handle = TurboJpegNative.InitCompress();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new SyntheticWorldException(
                "libturbojpeg.so.0 (libjpeg-turbo's TurboJPEG library) is not installed; run scripts/bootstrap.sh " +
                "(it installs Debian's libturbojpeg0)", e);
        }
        if (_handle == IntPtr.Zero) throw new SyntheticWorldException("TurboJPEG could not create a compressor");
    }

    /// <summary>Encodes a tightly packed RGB buffer (width·height·3 bytes), 4:2:0, quality 1..100.</summary>
    public unsafe byte[] Encode(ReadOnlySpan<byte> rgb, int width, int height, int quality)
    {
        ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
        if (width <= 0 || height <= 0 || rgb.Length != width * height * 3)
            throw new ArgumentException($"expected {width}×{height}×3 = {width * height * 3} bytes of RGB, got {rgb.Length}", nameof(rgb));
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        var jpeg = IntPtr.Zero;
        nuint size = 0;
        try
        {
            fixed (byte* src = rgb)
            {
                var rc = TurboJpegNative.Compress2(_handle, src, width, width * 3, height, TurboJpegNative.PixelFormatRgb,
                    ref jpeg, ref size, TurboJpegNative.Subsampling420, quality, 0);
                if (rc != 0)
                    throw new SyntheticWorldException("TurboJPEG failed to encode: " + Marshal.PtrToStringUTF8(TurboJpegNative.GetErrorStr2(_handle)));
            }
            var result = new byte[checked((int)size)];
            Marshal.Copy(jpeg, result, 0, result.Length);
            return result;
        }
        finally
        {
            if (jpeg != IntPtr.Zero) TurboJpegNative.Free(jpeg);
        }
    }

    public void Dispose()
    {
        if (_handle == IntPtr.Zero) return;
        _ = TurboJpegNative.Destroy(_handle);
        _handle = IntPtr.Zero;
    }
}
