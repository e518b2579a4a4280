namespace G3.Alignment.Imaging.Preprocessing;

/// <summary>
/// Bicubic resizing that reproduces Pillow's <c>Image.resize(size, BICUBIC)</c> (what torchvision's
/// <c>Resize(..., BICUBIC, antialias=True)</c> does on PIL images, and what CLIP was trained with):
/// Keys cubic with a = −0.5; when shrinking, the kernel's support is widened by the scale factor
/// (antialiasing); separable, horizontal pass first; weights normalised per output pixel and
/// quantised to 22-bit fixed point; each pass rounds and clamps to 8 bits.
/// </summary>
public static class BicubicResampler
{
    private const int PrecisionBits = 32 - 8 - 2;
    private const double Support = 2.0;

    /// <summary>Returns <paramref name="source"/> resized to <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static DecodedImage Resize(DecodedImage source, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var vertical = Coefficients.Compute(source.Height, height);
        var needHorizontal = width != source.Width;
        var needVertical = height != source.Height;

        byte[] pixels = source.Rgb;
        int rows = source.Height, firstRow = 0;
        if (needHorizontal)
        {
            // Only the source rows the vertical pass will read.
            firstRow = vertical.Bounds[0];
            var lastRow = vertical.Bounds[(height - 1) * 2] + vertical.Bounds[(height - 1) * 2 + 1];
            rows = lastRow - firstRow;
            pixels = Horizontal(source.Rgb, source.Width, firstRow, rows, Coefficients.Compute(source.Width, width));
        }
        if (needVertical)
            pixels = Vertical(pixels, width, height, firstRow, vertical);
        else if (!needHorizontal)
            pixels = (byte[])pixels.Clone();
        return new DecodedImage(width, height, pixels);
    }

    private static byte[] Horizontal(byte[] src, int srcWidth, int firstRow, int rows, Coefficients k)
    {
        var outWidth = k.OutSize;
        var dst = GC.AllocateUninitializedArray<byte>(outWidth * rows * 3);
        for (var y = 0; y < rows; y++)
        {
            var srcRow = (firstRow + y) * srcWidth * 3;
            var dstRow = y * outWidth * 3;
            for (var xx = 0; xx < outWidth; xx++)
            {
                int min = k.Bounds[xx * 2], count = k.Bounds[xx * 2 + 1], w = xx * k.Size;
                int r = 1 << (PrecisionBits - 1), g = r, b = r;
                for (var x = 0; x < count; x++)
                {
                    var weight = k.Weights[w + x];
                    var p = srcRow + (min + x) * 3;
                    r += src[p] * weight;
                    g += src[p + 1] * weight;
                    b += src[p + 2] * weight;
                }
                dst[dstRow + xx * 3] = Clip8(r);
                dst[dstRow + xx * 3 + 1] = Clip8(g);
                dst[dstRow + xx * 3 + 2] = Clip8(b);
            }
        }
        return dst;
    }

    private static byte[] Vertical(byte[] src, int width, int outHeight, int firstRow, Coefficients k)
    {
        var stride = width * 3;
        var dst = GC.AllocateUninitializedArray<byte>(stride * outHeight);
        for (var yy = 0; yy < outHeight; yy++)
        {
            int min = k.Bounds[yy * 2] - firstRow, count = k.Bounds[yy * 2 + 1], w = yy * k.Size;
            for (var i = 0; i < stride; i++)
            {
                var acc = 1 << (PrecisionBits - 1);
                for (var y = 0; y < count; y++)
                    acc += src[(min + y) * stride + i] * k.Weights[w + y];
                dst[yy * stride + i] = Clip8(acc);
            }
        }
        return dst;
    }

    // Arithmetic shift, then clamp: Pillow's clip8 lookup table does exactly this.
    private static byte Clip8(int acc) => (byte)Math.Clamp(acc >> PrecisionBits, 0, 255);

    private static double Cubic(double x)
    {
        const double a = -0.5;
        if (x < 0) x = -x;
        if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
        if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
        return 0;
    }

    /// <summary>Per output index: first source index, tap count, and fixed-point weights.</summary>
    private sealed class Coefficients
    {
        public required int OutSize { get; init; }
        public required int Size { get; init; }
        public required int[] Bounds { get; init; }
        public required int[] Weights { get; init; }

        public static Coefficients Compute(int inSize, int outSize)
        {
            var scale = (double)inSize / outSize;
            var filterScale = Math.Max(scale, 1.0);
            var support = Support * filterScale;
            var size = (int)Math.Ceiling(support) * 2 + 1;
            var bounds = new int[outSize * 2];
            var weights = new int[outSize * size];
            var taps = new double[size];
            for (var xx = 0; xx < outSize; xx++)
            {
                var center = (xx + 0.5) * scale;
                var inverse = 1.0 / filterScale;
                var min = Math.Max((int)(center - support + 0.5), 0);
                var max = Math.Min((int)(center + support + 0.5), inSize) - min;
                var total = 0.0;
                for (var x = 0; x < max; x++)
                {
                    taps[x] = Cubic((x + min - center + 0.5) * inverse);
                    total += taps[x];
                }
                for (var x = 0; x < max; x++)
                {
                    var t = total != 0.0 ? taps[x] / total : taps[x];
                    // Round half away from zero into 22-bit fixed point, as Pillow does.
                    weights[xx * size + x] = t < 0
                        ? (int)(-0.5 + t * (1 << PrecisionBits))
                        : (int)(0.5 + t * (1 << PrecisionBits));
                }
                bounds[xx * 2] = min;
                bounds[xx * 2 + 1] = max;
            }
            return new Coefficients { OutSize = outSize, Size = size, Bounds = bounds, Weights = weights };
        }
    }
}
