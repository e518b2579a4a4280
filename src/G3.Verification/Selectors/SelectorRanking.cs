using G3.Core.Candidates;
using G3.Core.Ports;

namespace G3.Verification.Selectors;

/// <summary>Ranks candidates by a score array, best first, ties in the given order.</summary>
internal static class SelectorRanking
{
    public static Verdict By(IReadOnlyList<Candidate> candidates, double[] scores)
    {
        var ranked = Enumerable.Range(0, candidates.Count)
            .OrderByDescending(i => scores[i]).ThenBy(i => i)
            .Select((i, rank) => new ScoredCandidate(candidates[i], scores[i], rank))
            .ToList();
        return new Verdict(ranked);
    }
}
