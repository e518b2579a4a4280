using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;

namespace G3.Verification.Selectors;

/// <summary>
/// Baseline: the geometric medoid, the candidate with the smallest mean great-circle distance to all
/// the others (a robust "consensus" answer that ignores the image). Score = −mean distance in km.
/// </summary>
public sealed class MedoidSelector : IVerifier
{
    public Task<Verdict> VerifyAsync(ImageEmbedding image, IReadOnlyList<Candidate> candidates, CancellationToken cancellationToken)
    {
        var points = candidates.Select(c => c.Point!.Value).ToArray();
        var scores = new double[points.Length];
        for (var i = 0; i < points.Length; i++)
        {
            double sum = 0;
            for (var j = 0; j < points.Length; j++)
                if (i != j) sum += GreatCircle.DistanceKm(points[i], points[j]);
            scores[i] = points.Length > 1 ? -sum / (points.Length - 1) : 0;
        }
        return Task.FromResult(SelectorRanking.By(candidates, scores));
    }
}
