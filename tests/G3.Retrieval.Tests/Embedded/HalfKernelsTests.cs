using System.Numerics.Tensors;
using G3.Retrieval.Embedded;

namespace G3.Retrieval.Tests.Embedded;

public unsafe class HalfKernelsTests
{
    [FactRequiringFusedHalf]
    public void Widening_in_registers_equals_the_exact_conversion_for_every_half()
    {
        var halves = new Half[65536];
        for (var i = 0; i < halves.Length; i++) halves[i] = BitConverter.UInt16BitsToHalf((ushort)i);
        var expected = new float[halves.Length];
        TensorPrimitives.ConvertToSingle(halves, expected);

        fixed (Half* source = halves)
        {
            for (var i = 0; i < halves.Length; i += 8)
            {
                var widened = HalfKernels.Widen(source + i);
                for (var lane = 0; lane < 8; lane++)
                {
                    var want = expected[i + lane];
                    var got = widened[lane];
                    if (float.IsNaN(want)) Assert.True(float.IsNaN(got), $"half 0x{i + lane:x4} must widen to NaN");
                    else Assert.True(BitConverter.SingleToInt32Bits(want) == BitConverter.SingleToInt32Bits(got),
                        $"half 0x{i + lane:x4}: expected {want:R}, got {got:R}");
                }
            }
        }
    }

    [FactRequiringFusedHalf]
    public void Fused_scores_equal_widen_then_dot_bit_for_bit()
    {
        const int dim = 99, rows = 7; // a tail past the last full vector, and rows past the last group of four
        var random = new Random(3);
        var halves = Enumerable.Range(0, rows * dim).Select(_ => (Half)(float)(random.NextDouble() * 2 - 1) * (Half)0.01f).ToArray();
        var query = Enumerable.Range(0, dim).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var widened = new float[rows * dim];
        TensorPrimitives.ConvertToSingle(halves, widened);
        var fused = new float[rows];
        var reference = new float[rows];
        fixed (Half* h = halves)
        fixed (float* w = widened, q = query, f = fused, r = reference)
        {
            HalfKernels.ScoreRows(h, rows, q, dim, f);
            DotKernels.ScoreRows(w, rows, q, dim, r);
        }
        Assert.Equal(reference.Select(BitConverter.SingleToInt32Bits), fused.Select(BitConverter.SingleToInt32Bits));
    }
}

/// <summary>Skips, with the reason, where the fused float16 kernel is not used (no AVX2, or another Vector&lt;float&gt; width).</summary>
internal sealed class FactRequiringFusedHalfAttribute : FactAttribute
{
    public FactRequiringFusedHalfAttribute()
    {
        if (!HalfKernels.IsSupported)
            Skip = "needs AVX2 with an 8-lane Vector<float>: elsewhere the fused float16 path is off and the widening pass is used";
    }
}
