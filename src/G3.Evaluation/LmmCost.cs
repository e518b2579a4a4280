using G3.Core.Usage;
using G3.Diversification.Providers;

namespace G3.Evaluation;

/// <summary>Prices a request's LMM calls with the providers' configured prices (Lmm:Providers:NAME:Price).</summary>
public static class LmmCost
{
    /// <summary>
    /// The calls' usage and estimated cost. <paramref name="photos"/>: the photos the query was asked with; each call
    /// shows as many of them as its provider takes (MaxImages). A provider with no price makes the cost unknown.
    /// </summary>
    public static EvalUsage Of(IEnumerable<LmmCall> calls, int photos, LmmOptions? lmm)
    {
        var usage = EvalUsage.None;
        foreach (var line in LmmUsage.Of(calls).ByModel)
        {
            var provider = lmm?.Providers.FirstOrDefault(p => p.Key.Equals(line.Provider, StringComparison.OrdinalIgnoreCase)).Value;
            var images = line.Calls * Math.Min(photos, provider?.EffectiveMaxImages ?? photos);
            var cost = provider?.Price is { } price ? Price(price, line.Tokens, images) : null;
            usage += new EvalUsage(line.Calls, line.CachedAnswers, line.Tokens.InputTokens, line.Tokens.OutputTokens, images, cost);
        }
        return usage;
    }

    /// <summary>Tokens and images at <paramref name="price"/>; null when a billed count is unknown.</summary>
    public static decimal? Price(LmmPrice price, TokenUsage tokens, int images)
    {
        ArgumentNullException.ThrowIfNull(price);
        ArgumentNullException.ThrowIfNull(tokens);
        var input = price.InputPerMillionTokens == 0 ? 0m : tokens.InputTokens * price.InputPerMillionTokens / 1_000_000m;
        var output = price.OutputPerMillionTokens == 0 ? 0m : tokens.OutputTokens * price.OutputPerMillionTokens / 1_000_000m;
        return input + output + images * price.PerImage;
    }
}
