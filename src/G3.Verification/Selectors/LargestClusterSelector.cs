using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;

namespace G3.Verification.Selectors;

/// <summary>
/// Baseline: the centre of the largest cluster, i.e. the candidate with the most other candidates
/// within <paramref name="radiusKm"/>; ties go to the tighter cluster (smaller summed distance to its
/// members). Score = number of neighbours (a "majority vote" over places).
/// </summary>
public sealed class LargestClusterSelector(double radiusKm = 200) : IVerifier
{
    public double RadiusKm { get; } = radiusKm > 0 && double.IsFinite(radiusKm)
        ? radiusKm
        : throw new ArgumentOutOfRangeException(nameof(radiusKm), radiusKm, "the cluster radius must be a positive number of km");

    public Task<Verdict> VerifyAsync(ImageEmbedding image, IReadOnlyList<Candidate> candidates, CancellationToken cancellationToken)
    {
        var points = candidates.Select(c => c.Point!.Value).ToArray();
        var scores = new double[points.Length];
        for (var i = 0; i < points.Length; i++)
        {
            int members = 0;
            double spread = 0;
            for (var j = 0; j < points.Length; j++)
            {
                if (i == j) continue;
                var d = GreatCircle.DistanceKm(points[i], points[j]);
                if (d <= RadiusKm)
                {
                    members++;
                    spread += d;
                }
            }
            // Members dominate; the spread (< radius·m) only breaks ties between equal counts.
            scores[i] = members - spread / (RadiusKm * (points.Length + 1));
        }
        return Task.FromResult(SelectorRanking.By(candidates, scores));
    }
}
