using G3.Alignment.Models;
using G3.Core.Levels;
using G3.Core.Ports;
using G3.Verification.Calibration;
using G3.Verification.OutOfDistribution;
using G3.Verification.Scoring;

namespace G3.Host.Composition;

/// <summary>What the model manifest's fitted sections mean to the verification stage: its settings, calibrations and out-of-distribution check.</summary>
public static class ManifestOptions
{
    /// <summary>The verifier's settings from the manifest: metric, logit scale and, when fitted, the consensus and the confidence calibration.</summary>
    public static VerifierOptions Verifier(ModelManifest manifest)
    {
        var metric = manifest.Verification.Metric == VerificationMetric.Cosine ? SimilarityMetric.Cosine : SimilarityMetric.Dot;
        var scale = manifest.Verification.LogitScale ?? 100;
        var consensus = manifest.Consensus is { } k ? new ConsensusOptions(k.GpsScale, k.RetrievalScale, k.SupportKm, k.Floor, k.RadiusKm) : null;
        return manifest.Calibration is { } c
            ? new VerifierOptions(metric, scale, c.RadiusKm, new IsotonicCalibration(c.Raw, c.Calibrated), consensus)
            : new VerifierOptions(metric, scale, Consensus: consensus);
    }

    /// <summary>The manifest's per-level calibration as a function (null when it has none).</summary>
    public static Func<PlaceLevel, double, double>? LevelCalibration(ModelManifest manifest)
    {
        if (manifest.LevelCalibration is not { } c) return null;
        var country = new IsotonicCalibration(c.Country.Raw, c.Country.Calibrated);
        var region = new IsotonicCalibration(c.Region.Raw, c.Region.Calibrated);
        var city = new IsotonicCalibration(c.City.Raw, c.City.Calibrated);
        return (level, mass) => level switch
        {
            PlaceLevel.Country => country.Apply(mass),
            PlaceLevel.Region => region.Apply(mass),
            _ => city.Apply(mass),
        };
    }

    /// <summary>The out-of-distribution check the manifest describes; null when it has none.</summary>
    public static IOutOfDistributionCheck? OutOfDistributionCheck(ModelManifest manifest) => manifest.OutOfDistribution switch
    {
        null => null,
        { Score: OutOfDistributionScore.Logistic } s => new EmbeddingOutOfDistributionCheck(s.Weights, s.Bias, s.TopK, s.Threshold),
        var s => new RetrievalOutOfDistributionCheck(s.TopK, s.Threshold),
    };
}
