using G3.Core.Candidates;

namespace G3.Core.Ports;

/// <summary>
/// The verdict: candidates best first, how sure it is (0..1) when it can say, how many agree, and (for a
/// verifier with a probabilistic model) each ranked candidate's probability, same order, summing to 1.
/// </summary>
public sealed record Verdict(IReadOnlyList<ScoredCandidate> Ranked, double? Confidence = null, CandidateAgreement? Agreement = null,
    IReadOnlyList<double>? Probabilities = null);

/// <summary>How many of the ranked candidates lie within 25/200/750 km of the winner (the winner included).</summary>
public sealed record CandidateAgreement(int Within25Km, int Within200Km, int Within750Km, int Total);

/// <summary>Geo-verification: scores every candidate against the image's GPS-aligned embedding.</summary>
public interface IVerifier
{
    /// <param name="candidates">Valid candidates only (each has a point).</param>
    Task<Verdict> VerifyAsync(ImageEmbedding image, IReadOnlyList<Candidate> candidates, CancellationToken cancellationToken);
}
