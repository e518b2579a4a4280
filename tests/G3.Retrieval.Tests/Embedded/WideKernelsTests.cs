using System.Numerics.Tensors;
using G3.Retrieval.Embedded;

namespace G3.Retrieval.Tests.Embedded;

/// <summary>
/// The 512-bit kernels: batched and single scoring agree bit for bit, scores match a float64 dot
/// product, and the float16 path (widening in registers against a 2^112-scaled query) equals
/// widening first, for dimensions with every kind of leftover (below one vector, one to three full
/// vectors past the last group of four, scalar tails) and row counts that are not multiples of four.
/// </summary>
public unsafe class WideKernelsTests
{
    public static TheoryData<int> Dimensions => new() { 1, 15, 16, 17, 31, 47, 48, 63, 64, 65, 99, 130, 768, 771 };

    [TheoryRequiringWideKernels]
    [MemberData(nameof(Dimensions))]
    public void Block_scores_equal_single_query_scores_bit_for_bit(int dim)
    {
        var random = new Random(dim);
        foreach (var rows in new[] { 1, 3, 4, 5, 9, 32 })
        foreach (var queryCount in new[] { 1, 3, 4, 6 })
        {
            var data = RandomFloats(random, rows * dim);
            var queries = RandomFloats(random, queryCount * dim);
            var block = new float[queryCount * rows];
            var single = new float[rows];
            fixed (float* r = data, q = queries, b = block, s = single)
            {
                WideKernels.ScoreBlock(r, rows, q, queryCount, dim, b, rows);
                for (var qi = 0; qi < queryCount; qi++)
                {
                    WideKernels.ScoreRows(r, rows, q + qi * dim, dim, s);
                    for (var i = 0; i < rows; i++)
                        Assert.True(BitConverter.SingleToInt32Bits(s[i]) == BitConverter.SingleToInt32Bits(b[qi * rows + i]),
                            $"dim {dim}, rows {rows}, queries {queryCount}: row {i} query {qi} scored {s[i]:R} alone, {b[qi * rows + i]:R} in the block");
                }
            }
        }
    }

    [TheoryRequiringWideKernels]
    [MemberData(nameof(Dimensions))]
    public void Scores_match_a_float64_dot_product(int dim)
    {
        var random = new Random(100 + dim);
        const int rows = 7;
        var data = RandomFloats(random, rows * dim);
        var query = RandomFloats(random, dim);
        var scores = new float[rows];
        fixed (float* r = data, q = query, s = scores) WideKernels.ScoreRows(r, rows, q, dim, s);
        for (var i = 0; i < rows; i++)
        {
            double exact = 0, magnitude = 0;
            for (var d = 0; d < dim; d++)
            {
                exact += (double)data[i * dim + d] * query[d];
                magnitude += Math.Abs((double)data[i * dim + d] * query[d]);
            }
            // Summation error bound: about dim units of float32 rounding on the sum of |products|.
            var bound = dim * 1.2e-7 * magnitude;
            Assert.True(Math.Abs(scores[i] - exact) <= bound, $"dim {dim} row {i}: {scores[i]:R} vs exact {exact:R} (bound {bound:E2})");
        }
    }

    [FactRequiringWideKernels]
    public void Scaled_widening_is_exact_for_every_finite_half()
    {
        var halves = new Half[65536];
        for (var i = 0; i < halves.Length; i++) halves[i] = BitConverter.UInt16BitsToHalf((ushort)i);
        var scale = MathF.ScaleB(1f, 112);
        var checkedCount = 0;
        fixed (Half* source = halves)
        {
            for (var i = 0; i < halves.Length; i += 16)
            {
                var widened = WideHalfKernels.WidenScaled(source + i);
                for (var lane = 0; lane < 16; lane++)
                {
                    var half = halves[i + lane];
                    if (!Half.IsFinite(half)) continue; // the writer never stores these (see WideHalfKernels)
                    var want = (float)half;
                    var got = widened[lane] * scale;
                    Assert.True(BitConverter.SingleToInt32Bits(want) == BitConverter.SingleToInt32Bits(got),
                        $"half 0x{i + lane:x4}: expected {want:R}, got {got:R}");
                    checkedCount++;
                }
            }
        }
        Assert.Equal(65536 - 2 * 1024, checkedCount); // every half but the 2 × 1024 infinities and NaNs
    }

    [TheoryRequiringWideKernels]
    [MemberData(nameof(Dimensions))]
    public void Fused_half_scores_equal_widen_then_dot_bit_for_bit(int dim)
    {
        const int rows = 9;
        var random = new Random(200 + dim);
        // Include subnormal halves (|x| < 2^-14) and zeros of both signs, which the shift-and-mask widening must keep exact.
        var halves = Enumerable.Range(0, rows * dim).Select(i => (i % 11) switch
        {
            0 => (Half)(float)((random.NextDouble() * 2 - 1) * 6e-5),
            1 => i % 2 == 0 ? Half.NegativeZero : (Half)0f,
            _ => (Half)(float)(random.NextDouble() * 2 - 1),
        }).ToArray();
        var query = RandomFloats(random, dim);
        var scaled = new float[dim];
        Assert.True(WideHalfKernels.TryScaleQuery(query, scaled));
        var widened = new float[rows * dim];
        TensorPrimitives.ConvertToSingle(halves, widened);
        var fused = new float[rows];
        var reference = new float[rows];
        fixed (Half* h = halves)
        fixed (float* w = widened, q = query, sq = scaled, f = fused, r = reference)
        {
            WideHalfKernels.ScoreRows(h, rows, sq, q, dim, f);
            WideKernels.ScoreRows(w, rows, q, dim, r);
        }
        Assert.Equal(reference.Select(BitConverter.SingleToInt32Bits), fused.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void A_query_too_large_to_scale_is_refused_for_the_fused_path()
    {
        var scaled = new float[3];
        Assert.True(WideHalfKernels.TryScaleQuery([65535f, -1e-40f, 0f], scaled));
        Assert.Equal(65535f * MathF.ScaleB(1f, 112), scaled[0]);
        Assert.False(WideHalfKernels.TryScaleQuery([1f, -65536f, 0f], scaled));
    }

    private static float[] RandomFloats(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
}

/// <summary>Skips, with the reason, where 512-bit vectors are not accelerated (the Vector&lt;float&gt; kernels run there).</summary>
internal sealed class FactRequiringWideKernelsAttribute : FactAttribute
{
    public FactRequiringWideKernelsAttribute()
    {
        if (!WideKernelsSkip.Supported) Skip = WideKernelsSkip.Reason;
    }
}

/// <summary>The theory form of <see cref="FactRequiringWideKernelsAttribute"/>.</summary>
internal sealed class TheoryRequiringWideKernelsAttribute : TheoryAttribute
{
    public TheoryRequiringWideKernelsAttribute()
    {
        if (!WideKernelsSkip.Supported) Skip = WideKernelsSkip.Reason;
    }
}

internal static class WideKernelsSkip
{
    public static bool Supported => WideKernels.IsSupported && WideHalfKernels.IsSupported;

    public const string Reason = "needs AVX-512 (Vector512 hardware-accelerated): elsewhere the store uses the Vector<float> kernels, tested through the store";
}
