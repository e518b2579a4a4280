using G3.Core.Ports;

namespace G3.Core.Views;

/// <summary>
/// Several views' embeddings as one: the weighted mean of the retrieval embeddings and of the GPS-aligned
/// embeddings, each scaled back to unit length (what a single view's normalised embedding is compared as).
/// </summary>
public static class ViewCombiner
{
    /// <summary>Weights scaled to sum to 1; null or empty means equal weights.</summary>
    public static double[] NormalizedWeights(int count, IReadOnlyList<double>? weights)
    {
        if (weights is null || weights.Count == 0)
            return Enumerable.Repeat(1.0 / count, count).ToArray();
        if (weights.Count != count)
            throw new ArgumentException($"{weights.Count} image weights were given for {count} images; give one weight per image (or none)", nameof(weights));
        var sum = weights.Sum();
        return weights.Select(w => w / sum).ToArray();
    }

    /// <summary>One embedding returned as it is; several averaged with <paramref name="weights"/> (normalised, see <see cref="NormalizedWeights"/>).</summary>
    public static ImageEmbedding Combine(IReadOnlyList<ImageEmbedding> views, IReadOnlyList<double> weights)
    {
        if (views.Count == 1) return views[0];
        return new ImageEmbedding(Mean(views.Select(v => v.Retrieval).ToList(), weights), Mean(views.Select(v => v.Gps).ToList(), weights));
    }

    private static float[] Mean(List<float[]> vectors, IReadOnlyList<double> weights)
    {
        var dim = vectors[0].Length;
        if (vectors.Any(v => v.Length != dim))
            throw new InvalidOperationException("the image encoder returned embeddings of different lengths for one query");
        var sum = new double[dim];
        for (var v = 0; v < vectors.Count; v++)
            for (var i = 0; i < dim; i++)
                sum[i] += weights[v] * vectors[v][i];
        var norm = Math.Sqrt(sum.Sum(x => x * x));
        // Opposite views cancelling exactly has no direction; keep the unscaled mean rather than dividing by zero.
        var scale = norm > 1e-12 ? 1 / norm : 1;
        return sum.Select(x => (float)(x * scale)).ToArray();
    }

    /// <summary>Cosine similarity of two embeddings.</summary>
    public static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            na += a[i] * (double)a[i];
            nb += b[i] * (double)b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }
}
