using G3.Core.Ports;

namespace G3.Core.Candidates;

/// <summary>
/// The paper's "w/o Geo-V" choice: LMM answers in variant, then sample order, then retrieved
/// candidates by rank. No model is consulted, so scores are null.
/// </summary>
public static class FirstValidOrder
{
    public static Verdict Rank(IReadOnlyList<Candidate> candidates) => new(candidates
        .Select((c, i) => (c, i))
        .OrderBy(x => x.c.Source == CandidateSource.Lmm ? 0 : 1)
        .ThenBy(x => x.c.Variant?.Index ?? int.MaxValue)
        .ThenBy(x => x.c.SampleIndex ?? x.c.Rank ?? int.MaxValue)
        .ThenBy(x => x.i)
        .Select((x, rank) => new ScoredCandidate(x.c, null, rank))
        .ToList());
}
