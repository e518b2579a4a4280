using G3.Core.Candidates;

namespace G3.Core.Ports;

/// <summary>The verifier's verdict: candidates best first, and how sure it is (0..1) when it can say.</summary>
public sealed record Verification(IReadOnlyList<ScoredCandidate> Ranked, double? Confidence = null);

/// <summary>Geo-verification: scores every candidate against the image's GPS-aligned embedding.</summary>
public interface IVerifier
{
    /// <param name="candidates">Valid candidates only (each has a point).</param>
    Task<Verification> VerifyAsync(ImageEmbedding image, IReadOnlyList<Candidate> candidates, CancellationToken cancellationToken);
}
