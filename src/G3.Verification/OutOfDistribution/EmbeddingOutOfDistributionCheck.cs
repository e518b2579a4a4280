using G3.Core.Candidates;
using G3.Core.Ports;

namespace G3.Verification.OutOfDistribution;

/// <summary>
/// "Unlike anything in the database", judged by a linear classifier over what the encoder and
/// retrieval say about the photo: score = σ(w · [e_img, e_gps^image, mean top-K similarity] + b).
/// The retrieval similarity alone misses flat colours, text slides and turned photos, whose nearest
/// references are about as close as an ordinary photo's; their embeddings, though, sit in directions
/// in-world photos don't, which a linear read-out of both embeddings separates. The weights are fitted
/// offline on held-out in-world photos against generated non-place images, the threshold on other
/// held-out photos (tools/train/Calibrate.cs, the model card).
/// </summary>
public sealed class EmbeddingOutOfDistributionCheck : IOutOfDistributionCheck
{
    private readonly double[] _weights;
    private readonly double _bias;
    private readonly RetrievalOutOfDistributionCheck _similarity;

    /// <param name="weights">One per feature: e_img (normalised), then e_gps^image (normalised), then the mean top-K similarity.</param>
    public EmbeddingOutOfDistributionCheck(IReadOnlyList<double> weights, double bias, int topK, double threshold)
    {
        if (weights.Count < 3) throw new ArgumentException("the classifier needs weights for both embeddings and the similarity", nameof(weights));
        if (weights.Any(w => !double.IsFinite(w)) || !double.IsFinite(bias))
            throw new ArgumentException("the classifier's weights and bias must be numbers", nameof(weights));
        if (!(threshold is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "the threshold is a probability in (0, 1)");
        _weights = [.. weights];
        _bias = bias;
        _similarity = new RetrievalOutOfDistributionCheck(topK, 0);
        Threshold = threshold;
    }

    public double Threshold { get; }

    /// <summary>σ of the classifier's logit; null when nothing was retrieved.</summary>
    public double? Score(ImageEmbedding image, IReadOnlyList<ReferencePhoto> similar)
    {
        if (_similarity.Score(similar) is not { } meanSimilarity) return null;
        if (image.Retrieval.Length + image.Gps.Length + 1 != _weights.Length)
            throw new ArgumentException(
                $"the classifier has {_weights.Length} weights but the photo has {image.Retrieval.Length} + {image.Gps.Length} embedding values + 1",
                nameof(image));
        var logit = _bias
                    + Dot(Normalised(image.Retrieval), _weights.AsSpan(0, image.Retrieval.Length))
                    + Dot(Normalised(image.Gps), _weights.AsSpan(image.Retrieval.Length, image.Gps.Length))
                    + meanSimilarity * _weights[^1];
        return 1 / (1 + Math.Exp(-logit));
    }

    public OutOfDistributionVerdict? Assess(ImageEmbedding image, IReadOnlyList<ReferencePhoto> similar) =>
        Score(image, similar) is { } s ? new OutOfDistributionVerdict(s, Threshold, s < Threshold) : null;

    private static double[] Normalised(float[] v)
    {
        double norm = 0;
        foreach (var x in v) norm += (double)x * x;
        norm = Math.Sqrt(norm);
        return v.Select(x => norm > 0 ? x / norm : 0).ToArray();
    }

    private static double Dot(double[] a, ReadOnlySpan<double> w)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += a[i] * w[i];
        return sum;
    }
}
