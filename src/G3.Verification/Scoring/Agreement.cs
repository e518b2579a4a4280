using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;

namespace G3.Verification.Scoring;

/// <summary>Counts candidates near the winner: a cheap, model-free signal of how settled the answer is.</summary>
internal static class Agreement
{
    public static CandidateAgreement Around(GeoPoint winner, IReadOnlyList<ScoredCandidate> ranked)
    {
        int c25 = 0, c200 = 0, c750 = 0;
        foreach (var s in ranked)
        {
            var d = GreatCircle.DistanceKm(winner, s.Candidate.Point!.Value);
            if (d <= 25) c25++;
            if (d <= 200) c200++;
            if (d <= 750) c750++;
        }
        return new CandidateAgreement(c25, c200, c750, ranked.Count);
    }
}
