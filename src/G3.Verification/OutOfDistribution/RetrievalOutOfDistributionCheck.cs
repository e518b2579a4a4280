using G3.Core.Candidates;
using G3.Core.Ports;

namespace G3.Verification.OutOfDistribution;

/// <summary>
/// "Unlike anything in the database": the score is the mean retrieval similarity of the photo's
/// top-K references; a photo scoring below the threshold, measured on held-out in-world photos
/// (the model manifest's "outOfDistribution"), is flagged. Retrieval ranks by that similarity, so
/// a photo that matches nothing well has low similarities all the way down its list.
/// </summary>
public sealed class RetrievalOutOfDistributionCheck : IOutOfDistributionCheck
{
    public RetrievalOutOfDistributionCheck(int topK, double threshold)
    {
        if (topK < 1) throw new ArgumentOutOfRangeException(nameof(topK), topK, "topK must be at least 1");
        if (!double.IsFinite(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "the threshold must be a number");
        TopK = topK;
        Threshold = threshold;
    }

    public int TopK { get; }
    public double Threshold { get; }

    /// <summary>The mean similarity of the first min(K, n) references; null when there are none.</summary>
    public double? Score(IReadOnlyList<ReferencePhoto> similar)
    {
        if (similar.Count == 0) return null;
        var n = Math.Min(TopK, similar.Count);
        double sum = 0;
        for (var i = 0; i < n; i++) sum += similar[i].Similarity;
        return sum / n;
    }

    public OutOfDistributionVerdict? Assess(ImageEmbedding image, IReadOnlyList<ReferencePhoto> similar) =>
        Score(similar) is { } s ? new OutOfDistributionVerdict(s, Threshold, s < Threshold) : null;
}
