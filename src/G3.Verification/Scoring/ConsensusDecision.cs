using G3.Core.Geo;

namespace G3.Verification.Scoring;

/// <summary>
/// The consensus decision: G3's image-to-GPS verifier combined with the retrieval evidence it is
/// given, then the Bayes choice for "within a radius".
/// <list type="number">
/// <item>Verifier belief: p_gps(c) = softmax(GpsScale · sim(e_gps^image, e_gps(c))), G3's score.</item>
/// <item>Retrieval prior: each retrieved photo r weighs softmax(RetrievalScale · sim(e_img, e_img(r)));
/// a candidate's support is Σ_r w_r · exp(−d(c, r) / SupportKm), mixed with an even share
/// (Floor) so LMM answers far from every retrieved photo keep a say.</item>
/// <item>Posterior q(c) ∝ p_gps(c) · prior(c); the answer is argmax_c Σ_c' q(c') · exp(−d(c, c') / RadiusKm),
/// the candidate with the most posterior weight around it.</item>
/// </list>
/// Why not G3's plain argmax: with a small model the two similarities err differently, and a single
/// high GPS score is often a look-alike place that no other evidence backs. On the synthetic world's
/// held-out photos this lifts the pick over top-1 retrieval where the plain argmax falls below it
/// (model card). G3's argmax stays available (no consensus section, or the "g3-argmax" selector).
/// </summary>
public static class ConsensusDecision
{
    /// <summary>The posterior q per candidate and the decision score per candidate (weight within the kernel), in the given order.</summary>
    public readonly record struct Result(double[] Posterior, double[] Score);

    /// <param name="gpsScores">The verifier's similarity per candidate.</param>
    /// <param name="points">Each candidate's location.</param>
    /// <param name="retrievalSimilarities">Per candidate: its retrieval similarity when it is a retrieved photo, else null.</param>
    public static Result Decide(IReadOnlyList<double> gpsScores, IReadOnlyList<GeoPoint> points, IReadOnlyList<double?> retrievalSimilarities,
        ConsensusOptions options)
    {
        var n = points.Count;
        if (gpsScores.Count != n || retrievalSimilarities.Count != n)
            throw new ArgumentException("scores, points and retrieval similarities must have one entry per candidate");
        var distance = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
                distance[i, j] = distance[j, i] = GreatCircle.DistanceKm(points[i], points[j]);

        var pGps = Softmax(gpsScores, options.GpsScale);
        var retrieved = Enumerable.Range(0, n).Where(i => retrievalSimilarities[i] is not null).ToList();
        var posterior = new double[n];
        if (retrieved.Count == 0)
        {
            // No retrieval evidence (S = 0): the verifier's belief alone.
            Array.Copy(pGps, posterior, n);
        }
        else
        {
            var wRet = Softmax(retrieved.Select(i => retrievalSimilarities[i]!.Value).ToList(), options.RetrievalScale);
            for (var i = 0; i < n; i++)
            {
                double support = 0;
                for (var k = 0; k < retrieved.Count; k++)
                    support += wRet[k] * Math.Exp(-distance[i, retrieved[k]] / options.SupportKm);
                posterior[i] = pGps[i] * ((1 - options.Floor) * support + options.Floor / n);
            }
        }
        var total = posterior.Sum();
        // Every weight underflowed (only possible with Floor = 0): fall back on the verifier's belief.
        if (!(total > 0)) { Array.Copy(pGps, posterior, n); total = 1; }
        for (var i = 0; i < n; i++) posterior[i] /= total;

        var score = new double[n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                score[i] += posterior[j] * Math.Exp(-distance[i, j] / options.RadiusKm);
        return new Result(posterior, score);
    }

    /// <summary>Softmax with the maximum subtracted first, so large scales cannot overflow.</summary>
    public static double[] Softmax(IReadOnlyList<double> x, double scale)
    {
        var max = x.Max();
        var w = x.Select(v => Math.Exp(scale * (v - max))).ToArray();
        var sum = w.Sum();
        for (var i = 0; i < w.Length; i++) w[i] /= sum;
        return w;
    }
}
