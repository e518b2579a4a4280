using System.Numerics;
using System.Runtime.CompilerServices;

namespace G3.Retrieval.Embedded;

/// <summary>
/// Inner products of rows against queries. Every kernel computes each (row, query) pair the same
/// way — one FMA chain over Vector&lt;float&gt; lanes in index order, a horizontal sum, then the
/// scalar tail — so a batched search returns bit-identical scores to single searches; kernels differ
/// only in how many pairs they interleave (more independent chains, fewer loads per FMA).
/// </summary>
internal static unsafe class DotKernels
{
    private static readonly int Width = Vector<float>.Count;

    /// <summary>scores[i] = rows[i]·query for <paramref name="rowCount"/> rows of <paramref name="dim"/> floats.</summary>
    public static void ScoreRows(float* rows, int rowCount, float* query, int dim, float* scores)
    {
        var i = 0;
        for (; i + 4 <= rowCount; i += 4)
            Dot4x1(rows + (long)i * dim, dim, query, dim, scores + i, 1);
        for (; i < rowCount; i++)
            scores[i] = Dot(rows + (long)i * dim, query, dim);
    }

    /// <summary>
    /// scores[q * scoreStride + i] = rows[i]·queries[q]: every query against a block of rows that stays
    /// in cache, so the rows are read from memory once for the whole batch.
    /// </summary>
    public static void ScoreBlock(float* rows, int rowCount, float* queries, int queryCount, int dim, float* scores, int scoreStride)
    {
        var i = 0;
        for (; i + 4 <= rowCount; i += 4)
        {
            var r = rows + (long)i * dim;
            var q = 0;
            for (; q + 4 <= queryCount; q += 4)
                Dot4x4(r, queries + (long)q * dim, dim, scores + (long)q * scoreStride + i, scoreStride);
            for (; q < queryCount; q++)
                Dot4x1(r, dim, queries + (long)q * dim, dim, scores + (long)q * scoreStride + i, 1);
        }
        for (; i < rowCount; i++)
            for (var q = 0; q < queryCount; q++)
                scores[(long)q * scoreStride + i] = Dot(rows + (long)i * dim, queries + (long)q * dim, dim);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(float* a, float* b, int dim)
    {
        var acc = Vector<float>.Zero;
        var d = 0;
        for (; d <= dim - Width; d += Width)
            acc = Vector.FusedMultiplyAdd(Vector.Load(a + d), Vector.Load(b + d), acc);
        return Tail(Vector.Sum(acc), a, b, d, dim);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Tail(float sum, float* a, float* b, int d, int dim)
    {
        for (; d < dim; d++) sum = MathF.FusedMultiplyAdd(a[d], b[d], sum);
        return sum;
    }

    /// <summary>Four consecutive rows against one query; results at out[0], out[step], …</summary>
    private static void Dot4x1(float* r0, int rowStride, float* q, int dim, float* output, int step)
    {
        var r1 = r0 + rowStride;
        var r2 = r1 + rowStride;
        var r3 = r2 + rowStride;
        Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
        var d = 0;
        for (; d <= dim - Width; d += Width)
        {
            var v = Vector.Load(q + d);
            a0 = Vector.FusedMultiplyAdd(Vector.Load(r0 + d), v, a0);
            a1 = Vector.FusedMultiplyAdd(Vector.Load(r1 + d), v, a1);
            a2 = Vector.FusedMultiplyAdd(Vector.Load(r2 + d), v, a2);
            a3 = Vector.FusedMultiplyAdd(Vector.Load(r3 + d), v, a3);
        }
        output[0] = Tail(Vector.Sum(a0), r0, q, d, dim);
        output[step] = Tail(Vector.Sum(a1), r1, q, d, dim);
        output[2 * step] = Tail(Vector.Sum(a2), r2, q, d, dim);
        output[3 * step] = Tail(Vector.Sum(a3), r3, q, d, dim);
    }

    /// <summary>Four rows × four queries: 16 chains, 8 loads per 16 FMAs. out[q * stride + r].</summary>
    private static void Dot4x4(float* r0, float* q0, int dim, float* output, int stride)
    {
        var r1 = r0 + dim; var r2 = r1 + dim; var r3 = r2 + dim;
        var q1 = q0 + dim; var q2 = q1 + dim; var q3 = q2 + dim;
        Vector<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector<float> a30 = default, a31 = default, a32 = default, a33 = default;
        var d = 0;
        for (; d <= dim - Width; d += Width)
        {
            var x0 = Vector.Load(r0 + d);
            var x1 = Vector.Load(r1 + d);
            var x2 = Vector.Load(r2 + d);
            var x3 = Vector.Load(r3 + d);
            var y = Vector.Load(q0 + d);
            a00 = Vector.FusedMultiplyAdd(x0, y, a00); a10 = Vector.FusedMultiplyAdd(x1, y, a10);
            a20 = Vector.FusedMultiplyAdd(x2, y, a20); a30 = Vector.FusedMultiplyAdd(x3, y, a30);
            y = Vector.Load(q1 + d);
            a01 = Vector.FusedMultiplyAdd(x0, y, a01); a11 = Vector.FusedMultiplyAdd(x1, y, a11);
            a21 = Vector.FusedMultiplyAdd(x2, y, a21); a31 = Vector.FusedMultiplyAdd(x3, y, a31);
            y = Vector.Load(q2 + d);
            a02 = Vector.FusedMultiplyAdd(x0, y, a02); a12 = Vector.FusedMultiplyAdd(x1, y, a12);
            a22 = Vector.FusedMultiplyAdd(x2, y, a22); a32 = Vector.FusedMultiplyAdd(x3, y, a32);
            y = Vector.Load(q3 + d);
            a03 = Vector.FusedMultiplyAdd(x0, y, a03); a13 = Vector.FusedMultiplyAdd(x1, y, a13);
            a23 = Vector.FusedMultiplyAdd(x2, y, a23); a33 = Vector.FusedMultiplyAdd(x3, y, a33);
        }
        output[0] = Tail(Vector.Sum(a00), r0, q0, d, dim);
        output[1] = Tail(Vector.Sum(a10), r1, q0, d, dim);
        output[2] = Tail(Vector.Sum(a20), r2, q0, d, dim);
        output[3] = Tail(Vector.Sum(a30), r3, q0, d, dim);
        output[stride] = Tail(Vector.Sum(a01), r0, q1, d, dim);
        output[stride + 1] = Tail(Vector.Sum(a11), r1, q1, d, dim);
        output[stride + 2] = Tail(Vector.Sum(a21), r2, q1, d, dim);
        output[stride + 3] = Tail(Vector.Sum(a31), r3, q1, d, dim);
        output[2 * stride] = Tail(Vector.Sum(a02), r0, q2, d, dim);
        output[2 * stride + 1] = Tail(Vector.Sum(a12), r1, q2, d, dim);
        output[2 * stride + 2] = Tail(Vector.Sum(a22), r2, q2, d, dim);
        output[2 * stride + 3] = Tail(Vector.Sum(a32), r3, q2, d, dim);
        output[3 * stride] = Tail(Vector.Sum(a03), r0, q3, d, dim);
        output[3 * stride + 1] = Tail(Vector.Sum(a13), r1, q3, d, dim);
        output[3 * stride + 2] = Tail(Vector.Sum(a23), r2, q3, d, dim);
        output[3 * stride + 3] = Tail(Vector.Sum(a33), r3, q3, d, dim);
    }
}
