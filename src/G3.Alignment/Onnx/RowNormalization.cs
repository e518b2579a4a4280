namespace G3.Alignment.Onnx;

/// <summary>L2 normalisation of embedding rows, as the manifests ask for CLIP-style embeddings.</summary>
internal static class RowNormalization
{
    /// <summary>
    /// Scales each row of <paramref name="data"/> (rows × <paramref name="dimension"/>) to unit length.
    /// A zero row stays zero rather than becoming NaN. Sums in double so long rows keep float precision.
    /// </summary>
    public static void L2NormalizeRows(Span<float> data, int dimension)
    {
        for (var start = 0; start < data.Length; start += dimension)
        {
            var row = data.Slice(start, dimension);
            double sum = 0;
            foreach (var v in row) sum += (double)v * v;
            if (sum == 0) continue;
            var scale = (float)(1 / Math.Sqrt(sum));
            for (var i = 0; i < row.Length; i++) row[i] *= scale;
        }
    }
}
