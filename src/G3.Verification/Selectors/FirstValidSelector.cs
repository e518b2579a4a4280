using G3.Core.Candidates;
using G3.Core.Ports;

namespace G3.Verification.Selectors;

/// <summary>The paper's "w/o Geo-V" baseline as a pluggable selector (see <see cref="FirstValidOrder"/>).</summary>
public sealed class FirstValidSelector : IVerifier
{
    public Task<Verdict> VerifyAsync(ImageEmbedding image, IReadOnlyList<Candidate> candidates, CancellationToken cancellationToken) =>
        Task.FromResult(FirstValidOrder.Rank(candidates));
}
