using G3.Alignment.Models;
using G3.Core.Ports;
using G3.Verification.Familiarity;

namespace G3.Host.Composition;

/// <summary>The out-of-distribution check the model manifest describes.</summary>
internal static class FamiliarityChecks
{
    public static IFamiliarityCheck From(OutOfDistributionSpec spec) => spec.Score switch
    {
        OutOfDistributionScore.Logistic => new EmbeddingFamiliarityCheck(spec.Weights, spec.Bias, spec.TopK, spec.Threshold),
        _ => new RetrievalFamiliarityCheck(spec.TopK, spec.Threshold),
    };
}
