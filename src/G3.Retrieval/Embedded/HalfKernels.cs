using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace G3.Retrieval.Embedded;

/// <summary>
/// The float16 single-query scan without a widening pass: each 8-lane load of halves is widened in
/// registers (.NET has no F16C intrinsic, so the conversion is done F16C-style with AVX2 integer
/// operations: shift the exponent and mantissa into float position, scale by 2^112, which is exact
/// for normal and subnormal halves alike, patch infinities and NaNs, restore the sign) and fed to
/// the same FMA chain as <see cref="DotKernels"/>. Widening is exact, and the FMAs run in the same
/// lane order as DotKernels on a widened block, so scores are bit-identical to the batched path.
/// Used only where Vector&lt;float&gt; is the 8-lane AVX2 vector that layout assumes and 512-bit
/// vectors are not accelerated (there <see cref="WideHalfKernels"/> runs, with fewer operations).
/// </summary>
internal static unsafe class HalfKernels
{
    /// <summary>True when the fused path applies on this machine (AVX2, Vector&lt;float&gt; of 8 lanes).</summary>
    public static bool IsSupported => Avx2.IsSupported && Vector<float>.Count == 8;

    /// <summary>scores[i] = widen(rows[i])·query for <paramref name="rowCount"/> rows of <paramref name="dim"/> halves.</summary>
    public static void ScoreRows(Half* rows, int rowCount, float* query, int dim, float* scores)
    {
        var i = 0;
        for (; i + 4 <= rowCount; i += 4)
            Dot4(rows + (long)i * dim, query, dim, scores + i);
        for (; i < rowCount; i++)
            scores[i] = Dot1(rows + (long)i * dim, query, dim);
    }

    /// <summary>Eight halves → eight floats, exactly (what (float)Half gives, NaN payloads aside).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Widen(Half* source)
    {
        var bits = Avx2.ConvertToVector256Int32((ushort*)source).AsUInt32();
        var sign = (bits & Vector256.Create(0x8000u)) << 16;
        var magnitude = bits & Vector256.Create(0x7FFFu);
        // 2^112 = 2^(127 - 15): moves a half's biased exponent onto a float's.
        var scaled = (magnitude << 13).AsSingle() * Vector256.Create(5.192296858534828e33f);
        var special = Vector256.Equals(bits & Vector256.Create(0x7C00u), Vector256.Create(0x7C00u));
        var infOrNaN = (Vector256.Create(0x7F800000u) | (magnitude << 13)).AsSingle();
        return (Vector256.ConditionalSelect(special.AsSingle(), infOrNaN, scaled).AsUInt32() | sign).AsSingle();
    }

    private static void Dot4(Half* r0, float* q, int dim, float* output)
    {
        var r1 = r0 + dim;
        var r2 = r1 + dim;
        var r3 = r2 + dim;
        Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
        var d = 0;
        for (; d <= dim - 8; d += 8)
        {
            var v = Vector.Load(q + d);
            a0 = Vector.FusedMultiplyAdd(Widen(r0 + d).AsVector(), v, a0);
            a1 = Vector.FusedMultiplyAdd(Widen(r1 + d).AsVector(), v, a1);
            a2 = Vector.FusedMultiplyAdd(Widen(r2 + d).AsVector(), v, a2);
            a3 = Vector.FusedMultiplyAdd(Widen(r3 + d).AsVector(), v, a3);
        }
        output[0] = Tail(Vector.Sum(a0), r0, q, d, dim);
        output[1] = Tail(Vector.Sum(a1), r1, q, d, dim);
        output[2] = Tail(Vector.Sum(a2), r2, q, d, dim);
        output[3] = Tail(Vector.Sum(a3), r3, q, d, dim);
    }

    private static float Dot1(Half* r, float* q, int dim)
    {
        var acc = Vector<float>.Zero;
        var d = 0;
        for (; d <= dim - 8; d += 8)
            acc = Vector.FusedMultiplyAdd(Widen(r + d).AsVector(), Vector.Load(q + d), acc);
        return Tail(Vector.Sum(acc), r, q, d, dim);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Tail(float sum, Half* r, float* q, int d, int dim)
    {
        for (; d < dim; d++) sum = MathF.FusedMultiplyAdd((float)r[d], q[d], sum);
        return sum;
    }
}
