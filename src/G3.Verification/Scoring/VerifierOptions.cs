namespace G3.Verification.Scoring;

/// <summary>How image and location embeddings are compared (the model manifest says which).</summary>
public enum SimilarityMetric
{
    /// <summary>Inner product: the embeddings are already L2-normalised (G3, GeoCLIP).</summary>
    Dot,

    /// <summary>Cosine: normalise both sides first.</summary>
    Cosine,
}

/// <summary>Settings of the geo-verifier.</summary>
/// <param name="Metric">Similarity between e_gps^image and each candidate's e_gps.</param>
/// <param name="LogitScale">
/// The model's learned temperature as a multiplier (exp(t) in the paper's loss; CLIP-style models
/// end near 100). Turns scores into the softmax the model was trained with, for the confidence.
/// </param>
/// <param name="ConfidenceRadiusKm">Confidence = softmax mass of the candidates within this distance of the winner.</param>
/// <param name="Calibration">
/// When set (from the model manifest), the softmax mass within <paramref name="ConfidenceRadiusKm"/> is mapped through it,
/// and the confidence is the estimated probability that the answer lies within that radius of the truth.
/// </param>
/// <param name="Consensus">When set (from the model manifest), candidates are ranked by <see cref="ConsensusDecision"/>; null: G3's argmax.</param>
public sealed record VerifierOptions(SimilarityMetric Metric = SimilarityMetric.Dot, double LogitScale = 100, double ConfidenceRadiusKm = 25,
    Calibration.IsotonicCalibration? Calibration = null, ConsensusOptions? Consensus = null)
{
    public void EnsureValid()
    {
        Consensus?.EnsureValid();
        if (!double.IsFinite(LogitScale) || LogitScale <= 0)
            throw new ArgumentOutOfRangeException(nameof(LogitScale), LogitScale, "LogitScale must be a positive number");
        if (!double.IsFinite(ConfidenceRadiusKm) || ConfidenceRadiusKm < 0)
            throw new ArgumentOutOfRangeException(nameof(ConfidenceRadiusKm), ConfidenceRadiusKm, "ConfidenceRadiusKm must be zero or more");
    }
}
