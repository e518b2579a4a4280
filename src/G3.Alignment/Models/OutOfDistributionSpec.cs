using System.Text.Json.Serialization;

namespace G3.Alignment.Models;

/// <summary>
/// The out-of-distribution check. JSON: <c>"outOfDistribution": { "score": "mean-top-k-similarity", "topK": 5,
/// "threshold": 0.61, "measuredOn": "..." }</c>, or with <c>"score": "logistic"</c> also <c>"weights"</c>
/// (retrieval dim + GPS dim + 1 numbers) and <c>"bias"</c>. A photo scoring below
/// <see cref="Threshold"/> (measured on held-out in-world photos) is flagged.
/// </summary>
public sealed record OutOfDistributionSpec
{
    [JsonInclude, JsonPropertyName("score")] internal string? ScoreName { get; init; }
    [JsonIgnore] public OutOfDistributionScore Score => ManifestNames.OutOfDistribution.Parse(ScoreName);
    public int TopK { get; init; }

    /// <summary>Required; NaN until given, so a missing threshold is reported rather than read as 0.</summary>
    public double Threshold { get; init; } = double.NaN;

    /// <summary>Logistic only: one weight per feature (e_img, then e_gps^image, then the mean top-K similarity).</summary>
    public IReadOnlyList<double> Weights { get; init; } = [];

    /// <summary>Logistic only (required there); NaN when not given.</summary>
    public double Bias { get; init; } = double.NaN;
    public string? FittedOn { get; init; }
    public string? MeasuredOn { get; init; }
}

/// <summary>How the out-of-distribution score is computed (manifest <c>outOfDistribution.score</c>).</summary>
public enum OutOfDistributionScore
{
    /// <summary>"mean-top-k-similarity": the mean retrieval similarity of the top K references.</summary>
    MeanTopKSimilarity,

    /// <summary>
    /// "logistic": σ(w · [e_img, e_gps^image, mean top-K similarity] + b), a linear classifier of
    /// in-world photos against generated non-place images, fitted offline (tools/train/Calibrate.cs).
    /// </summary>
    Logistic,
}
