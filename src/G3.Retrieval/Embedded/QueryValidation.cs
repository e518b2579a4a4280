using System.Globalization;
using System.Numerics.Tensors;

namespace G3.Retrieval.Embedded;

/// <summary>Checks query and record vectors before they touch the index, with messages naming the fault.</summary>
internal static class QueryValidation
{
    /// <summary>Copies the queries into one contiguous array (queryCount × dimension) after checking each.</summary>
    public static float[] Pack(IReadOnlyList<ReadOnlyMemory<float>> queries, int dimension, string modelId)
    {
        if (queries.Count == 0)
            throw new ArgumentException("no query vectors were given", nameof(queries));
        var packed = GC.AllocateUninitializedArray<float>(queries.Count * dimension, pinned: true);
        for (var q = 0; q < queries.Count; q++)
        {
            var span = queries[q].Span;
            CheckVector(span, dimension, modelId, queries.Count == 1 ? "the query" : $"query {q}", nameof(queries));
            span.CopyTo(packed.AsSpan(q * dimension, dimension));
        }
        return packed;
    }

    /// <summary>Throws ArgumentException when the vector has the wrong length or a non-finite component.</summary>
    public static void CheckVector(ReadOnlySpan<float> vector, int dimension, string modelId, string what, string parameter)
    {
        if (vector.Length != dimension)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{what} has {vector.Length} components but the store holds {dimension}-dimensional vectors of model '{modelId}'"), parameter);
        for (var i = 0; i < vector.Length; i++)
            if (!float.IsFinite(vector[i]))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"{what} has a non-finite component ({vector[i]}) at index {i}"), parameter);
        // A finite squared norm bounds every inner product (Cauchy–Schwarz), so scores cannot overflow to ∞/NaN.
        if (!float.IsFinite(TensorPrimitives.Dot(vector, vector)))
            throw new ArgumentException($"{what} is too large (its squared norm overflows float); normalise it", parameter);
    }
}
