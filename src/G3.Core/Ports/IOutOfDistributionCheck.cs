using G3.Core.Candidates;

namespace G3.Core.Ports;

/// <summary>
/// Whether a photo resembles the reference collection at all: <paramref name="Score"/> is the
/// model's measure (higher = more familiar), <paramref name="Threshold"/> the value measured on
/// held-out in-world photos below which a photo is called out of distribution.
/// </summary>
public sealed record OutOfDistributionVerdict(double Score, double Threshold, bool Flagged);

/// <summary>Judges, from the photo's embeddings and what retrieval found, whether the photo is unlike anything in the collection.</summary>
public interface IOutOfDistributionCheck
{
    /// <param name="image">The photo's embeddings.</param>
    /// <param name="similar">The retrieved photos, most similar first (may be empty).</param>
    /// <returns>Null when it cannot judge (nothing was retrieved).</returns>
    OutOfDistributionVerdict? Assess(ImageEmbedding image, IReadOnlyList<ReferencePhoto> similar);
}
