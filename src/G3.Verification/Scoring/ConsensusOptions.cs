namespace G3.Verification.Scoring;

/// <summary>
/// The consensus decision's settings (the manifest's <c>verification.consensus</c>, fitted on held-out
/// photos by tools/train/Calibrate.cs). See <see cref="ConsensusDecision"/> for what each one does.
/// </summary>
/// <param name="GpsScale">Softmax scale of the verifier's image-to-GPS similarities.</param>
/// <param name="RetrievalScale">Softmax scale of the retrieved photos' image-to-image similarities.</param>
/// <param name="SupportKm">How far a retrieved photo's weight reaches: support falls off as exp(−d / SupportKm).</param>
/// <param name="Floor">
/// The share of the prior spread evenly over all candidates, so that an LMM answer far from every
/// retrieved photo is still weighed by the verifier instead of being ruled out (0 ≤ Floor ≤ 1).
/// </param>
/// <param name="RadiusKm">The decision kernel: the answer is the candidate with the most weight nearby, exp(−d / RadiusKm).</param>
public sealed record ConsensusOptions(double GpsScale, double RetrievalScale, double SupportKm, double Floor, double RadiusKm)
{
    public void EnsureValid()
    {
        Positive(GpsScale, nameof(GpsScale));
        Positive(RetrievalScale, nameof(RetrievalScale));
        Positive(SupportKm, nameof(SupportKm));
        Positive(RadiusKm, nameof(RadiusKm));
        if (!(Floor is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(Floor), Floor, "Floor must be between 0 and 1");
    }

    private static void Positive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive number");
    }
}
