using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace G3.Retrieval.Embedded;

/// <summary>
/// The float32 kernels where 512-bit vectors are hardware-accelerated (AVX-512). One (row, query)
/// pair is always computed the same way, which keeps batched and single searches bit-identical:
/// the row's full 16-lane vectors v = 0, 1, 2, … are spread over four FMA chains, vector v feeding
/// chain v mod 4, in index order; the chains are added as (c0 + c1) + (c2 + c3), summed across
/// lanes, and the last dim mod 16 components follow one by one (scalar FMA). A single query walks one
/// row at a time, front to back, so the scan is one sequential stream (what the hardware prefetcher
/// follows best, and what the bandwidth floor reads), and four chains hide the FMA latency that one
/// chain would expose (a first single-thread check: one chain took 1.03–1.35× a plain read's time,
/// four 0.96–1.08×; bench/README.md).
/// </summary>
internal static unsafe class WideKernels
{
    private const int Lanes = 16;

    /// <summary>Whether this path applies here (Vector512 accelerated; otherwise <see cref="DotKernels"/>).</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    /// <summary>scores[i] = rows[i]·query for <paramref name="rowCount"/> consecutive rows of <paramref name="dim"/> floats.</summary>
    public static void ScoreRows(float* rows, int rowCount, float* query, int dim, float* scores)
    {
        for (var i = 0; i < rowCount; i++)
            scores[i] = Dot(rows + (long)i * dim, query, dim);
    }

    /// <summary>
    /// scores[q * scoreStride + i] = rows[i]·queries[q]: four rows × four queries at a time (16 chains
    /// of one FMA order, eight loads per 16 FMAs), the rest pair by pair with <see cref="Dot"/>.
    /// </summary>
    public static void ScoreBlock(float* rows, int rowCount, float* queries, int queryCount, int dim, float* scores, int scoreStride)
    {
        var partial = stackalloc Vector512<float>[16 * 4];
        var i = 0;
        for (; i + 4 <= rowCount; i += 4)
        {
            var r = rows + (long)i * dim;
            var q = 0;
            for (; q + 4 <= queryCount; q += 4)
                Dot4x4(r, queries + (long)q * dim, dim, partial, scores + (long)q * scoreStride + i, scoreStride);
            for (; q < queryCount; q++)
                for (var j = 0; j < 4; j++)
                    scores[(long)q * scoreStride + i + j] = Dot(r + (long)j * dim, queries + (long)q * dim, dim);
        }
        for (; i < rowCount; i++)
            for (var q = 0; q < queryCount; q++)
                scores[(long)q * scoreStride + i] = Dot(rows + (long)i * dim, queries + (long)q * dim, dim);
    }

    /// <summary>a·b over <paramref name="dim"/> floats in the order the class comment defines.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(float* a, float* b, int dim)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
        var d = 0;
        for (; d + 4 * Lanes <= dim; d += 4 * Lanes)
        {
            c0 = Vector512.FusedMultiplyAdd(Vector512.Load(a + d), Vector512.Load(b + d), c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Load(a + d + Lanes), Vector512.Load(b + d + Lanes), c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Load(a + d + 2 * Lanes), Vector512.Load(b + d + 2 * Lanes), c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Load(a + d + 3 * Lanes), Vector512.Load(b + d + 3 * Lanes), c3);
        }
        // At most three full vectors are left: they belong to chains 0, 1, 2 in turn.
        if (d + Lanes <= dim)
        {
            c0 = Vector512.FusedMultiplyAdd(Vector512.Load(a + d), Vector512.Load(b + d), c0);
            d += Lanes;
            if (d + Lanes <= dim)
            {
                c1 = Vector512.FusedMultiplyAdd(Vector512.Load(a + d), Vector512.Load(b + d), c1);
                d += Lanes;
                if (d + Lanes <= dim)
                {
                    c2 = Vector512.FusedMultiplyAdd(Vector512.Load(a + d), Vector512.Load(b + d), c2);
                    d += Lanes;
                }
            }
        }
        return Tail(Finish(c0, c1, c2, c3), a, b, d, dim);
    }

    /// <summary>The chains' sum, in the one order every kernel uses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Finish(Vector512<float> c0, Vector512<float> c1, Vector512<float> c2, Vector512<float> c3) =>
        Vector512.Sum((c0 + c1) + (c2 + c3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Tail(float sum, float* a, float* b, int d, int dim)
    {
        for (; d < dim; d++) sum = MathF.FusedMultiplyAdd(a[d], b[d], sum);
        return sum;
    }

    /// <summary>
    /// Rows r0..r0+3 against queries q0..q0+3: for each chain in turn, 16 accumulators (one per pair)
    /// take that chain's vectors; the chains are kept in <paramref name="partial"/> (64 vectors) and
    /// finished as <see cref="Dot"/> finishes them. out[q * stride + r].
    /// </summary>
    private static void Dot4x4(float* r0, float* q0, int dim, Vector512<float>* partial, float* output, int stride)
    {
        var r1 = r0 + dim; var r2 = r1 + dim; var r3 = r2 + dim;
        var q1 = q0 + dim; var q2 = q1 + dim; var q3 = q2 + dim;
        var vectors = dim / Lanes;
        for (var chain = 0; chain < 4; chain++)
        {
            Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
            Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
            Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
            Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default;
            for (var v = chain; v < vectors; v += 4)
            {
                var d = v * Lanes;
                var x0 = Vector512.Load(r0 + d);
                var x1 = Vector512.Load(r1 + d);
                var x2 = Vector512.Load(r2 + d);
                var x3 = Vector512.Load(r3 + d);
                var y = Vector512.Load(q0 + d);
                a00 = Vector512.FusedMultiplyAdd(x0, y, a00); a10 = Vector512.FusedMultiplyAdd(x1, y, a10);
                a20 = Vector512.FusedMultiplyAdd(x2, y, a20); a30 = Vector512.FusedMultiplyAdd(x3, y, a30);
                y = Vector512.Load(q1 + d);
                a01 = Vector512.FusedMultiplyAdd(x0, y, a01); a11 = Vector512.FusedMultiplyAdd(x1, y, a11);
                a21 = Vector512.FusedMultiplyAdd(x2, y, a21); a31 = Vector512.FusedMultiplyAdd(x3, y, a31);
                y = Vector512.Load(q2 + d);
                a02 = Vector512.FusedMultiplyAdd(x0, y, a02); a12 = Vector512.FusedMultiplyAdd(x1, y, a12);
                a22 = Vector512.FusedMultiplyAdd(x2, y, a22); a32 = Vector512.FusedMultiplyAdd(x3, y, a32);
                y = Vector512.Load(q3 + d);
                a03 = Vector512.FusedMultiplyAdd(x0, y, a03); a13 = Vector512.FusedMultiplyAdd(x1, y, a13);
                a23 = Vector512.FusedMultiplyAdd(x2, y, a23); a33 = Vector512.FusedMultiplyAdd(x3, y, a33);
            }
            // Pair (row r, query q) keeps its chain at partial[(q * 4 + r) * 4 + chain].
            var p = partial + chain;
            p[0] = a00; p[4] = a10; p[8] = a20; p[12] = a30;
            p[16] = a01; p[20] = a11; p[24] = a21; p[28] = a31;
            p[32] = a02; p[36] = a12; p[40] = a22; p[44] = a32;
            p[48] = a03; p[52] = a13; p[56] = a23; p[60] = a33;
        }
        var done = vectors * Lanes;
        for (var q = 0; q < 4; q++)
        {
            var query = q0 + (long)q * dim;
            for (var r = 0; r < 4; r++)
            {
                var c = partial + (q * 4 + r) * 4;
                output[(long)q * stride + r] = Tail(Finish(c[0], c[1], c[2], c[3]), r0 + (long)r * dim, query, done, dim);
            }
        }
    }
}
