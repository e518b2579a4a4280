using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace G3.Retrieval.Embedded;

/// <summary>
/// The float16 single-query scan where 512-bit vectors are accelerated, widening in registers.
/// .NET 10 exposes neither F16C (vcvtph2ps) nor AVX512-FP16, so the conversion is integer work, cut
/// to three operations per 16 halves: sign-extend each half to 32 bits, shift left by 13 (exponent
/// and mantissa land in float position) and mask off the sign's copies above bit 31. That float is
/// exactly the half's value × 2^-112, for normal and subnormal halves alike; instead of scaling it
/// back per element, the query is scaled by 2^112 once (<see cref="TryScaleQuery"/>). Products are
/// then exactly the products of the widened half and the original query, so every FMA rounds as in
/// <see cref="WideKernels"/> on a widened block: scores are bit-identical to the batched path.
/// Infinities and NaNs would widen wrongly, and cannot occur: the writer refuses components beyond
/// float16's range and non-finite ones, so a float16 store holds finite halves only.
/// </summary>
internal static unsafe class WideHalfKernels
{
    private const int Lanes = 16;

    /// <summary>2^112 = 2^(127 − 15): the gap between float's and half's exponent bias.</summary>
    private const float Scale = 5.192296858534828e33f;

    /// <summary>|q| below this scales by 2^112 without overflowing float (2^16 · 2^112 = 2^128).</summary>
    private const float MaxScalable = 65536f;

    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>
    /// scaled = query × 2^112, exactly; false (and the caller widens through a buffer instead) when a
    /// component is too large for that to stay finite.
    /// </summary>
    public static bool TryScaleQuery(ReadOnlySpan<float> query, Span<float> scaled)
    {
        for (var d = 0; d < query.Length; d++)
        {
            if (!(MathF.Abs(query[d]) < MaxScalable)) return false;
            scaled[d] = query[d] * Scale;
        }
        return true;
    }

    /// <summary>
    /// scores[i] = widen(rows[i])·query for <paramref name="rowCount"/> rows of <paramref name="dim"/>
    /// halves; <paramref name="scaledQuery"/> is the query from <see cref="TryScaleQuery"/>.
    /// </summary>
    public static void ScoreRows(Half* rows, int rowCount, float* scaledQuery, float* query, int dim, float* scores)
    {
        for (var i = 0; i < rowCount; i++)
            scores[i] = Dot(rows + (long)i * dim, scaledQuery, query, dim);
    }

    /// <summary>Sixteen halves as floats scaled by 2^-112 (exact for every finite half).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> WidenScaled(Half* source)
    {
        var bits = Avx512F.ConvertToVector512Int32(Vector256.Load((short*)source));
        return ((bits << 13) & Vector512.Create(unchecked((int)0x8FFFE000))).AsSingle();
    }

    /// <summary>The chain layout of <see cref="WideKernels.Dot"/>, on halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(Half* r, float* scaled, float* query, int dim)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
        var d = 0;
        for (; d + 4 * Lanes <= dim; d += 4 * Lanes)
        {
            c0 = Vector512.FusedMultiplyAdd(WidenScaled(r + d), Vector512.Load(scaled + d), c0);
            c1 = Vector512.FusedMultiplyAdd(WidenScaled(r + d + Lanes), Vector512.Load(scaled + d + Lanes), c1);
            c2 = Vector512.FusedMultiplyAdd(WidenScaled(r + d + 2 * Lanes), Vector512.Load(scaled + d + 2 * Lanes), c2);
            c3 = Vector512.FusedMultiplyAdd(WidenScaled(r + d + 3 * Lanes), Vector512.Load(scaled + d + 3 * Lanes), c3);
        }
        if (d + Lanes <= dim)
        {
            c0 = Vector512.FusedMultiplyAdd(WidenScaled(r + d), Vector512.Load(scaled + d), c0);
            d += Lanes;
            if (d + Lanes <= dim)
            {
                c1 = Vector512.FusedMultiplyAdd(WidenScaled(r + d), Vector512.Load(scaled + d), c1);
                d += Lanes;
                if (d + Lanes <= dim)
                {
                    c2 = Vector512.FusedMultiplyAdd(WidenScaled(r + d), Vector512.Load(scaled + d), c2);
                    d += Lanes;
                }
            }
        }
        var sum = WideKernels.Finish(c0, c1, c2, c3);
        for (; d < dim; d++) sum = MathF.FusedMultiplyAdd((float)r[d], query[d], sum);
        return sum;
    }
}
