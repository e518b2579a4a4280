namespace G3.Evaluation;

/// <summary>
/// What an experiment would still cost, before any LMM call (g3 eval --plan): per configuration, the image × configuration
/// pairs left, the calls still needed after the LMM response cache, their estimated tokens, images and cost; per provider,
/// the same totals and the time they take at its rate limits.
/// </summary>
/// <param name="Images">Query images in the experiment (after --limit).</param>
/// <param name="Tolerance">How far the estimates may be from what providers report, as stated to the user.</param>
public sealed record EvalPlan(string Experiment, int Images, IReadOnlyList<ConfigurationPlan> Configurations, IReadOnlyList<ProviderPlan> Providers, string Tolerance)
{
    /// <summary>LMM calls still needed, over every configuration.</summary>
    public int Calls => Configurations.Sum(c => c.Calls);

    /// <summary>Estimated cost over every configuration; null when a provider that would be called has no price.</summary>
    public decimal? Cost => Configurations.Aggregate((decimal?)0m, (sum, c) => c.Calls == 0 ? sum : sum + c.Cost);
}

/// <param name="Provider">The primary provider (fallbacks answer only when it fails, and are not planned).</param>
/// <param name="PairsLeft">Image × configuration pairs the run would evaluate (those in the run folder are done).</param>
/// <param name="Failed">Pairs whose image failed before the LMM stage (the run would record an error, and call nothing).</param>
/// <param name="Samples">LMM samples the pairs ask for.</param>
/// <param name="CachedSamples">Samples the cache already answers (or an earlier pair of this plan will have answered).</param>
/// <param name="OutputTokenLimit">The completion limit times the samples asked for: an upper bound; null when a call sets no limit.</param>
/// <param name="Cost">At the provider's price, input estimated and output at its limit (so an upper bound for output); null without a price.</param>
public sealed record ConfigurationPlan(string Name, string Provider, int PairsLeft, int PairsDone, int Failed, int Samples, int CachedSamples, int Calls,
    long InputTokens, long? OutputTokenLimit, int ImagesSent, decimal? Cost);

/// <param name="Minutes">The least time the calls take at the provider's rate limits; null when it sets none.</param>
/// <param name="InputTolerance">The stated relative error of <see cref="InputTokens"/> (0.05 = ±5 %).</param>
public sealed record ProviderPlan(string Name, string Kind, string Model, int Calls, long InputTokens, long? OutputTokenLimit, int? RequestsPerMinute, int? TokensPerMinute,
    double? Minutes, string Encoding, string ImageRule, double InputTolerance);
