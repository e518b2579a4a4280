using System.Globalization;
using System.Text;
using System.Text.Json;

namespace G3.Evaluation;

/// <summary>Renders an <see cref="EvalPlan"/>: tables for the console, JSON for tools.</summary>
public static class PlanReport
{
    public static string Markdown(EvalPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"## Plan: {plan.Experiment}");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{plan.Images} images, {plan.Configurations.Count} configurations, {plan.Calls} LMM calls still needed, estimated cost {Cost(plan.Cost)}.");
        sb.AppendLine();
        sb.AppendLine("| Configuration | Provider | Pairs left | Pairs done | Samples | Cached | LMM calls | Input tokens (est.) | Output tokens (at most) | Images sent | Estimated cost |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var c in plan.Configurations)
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {c.Name} | {c.Provider} | {c.PairsLeft} | {c.PairsDone} | {c.Samples} | {c.CachedSamples} | {c.Calls} | {c.InputTokens} | {Known(c.OutputTokenLimit)} | {c.ImagesSent} | {Cost(c.Cost)} |");
        if (plan.Configurations.Sum(c => c.Failed) is > 0 and var failed)
            sb.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"{failed} pairs failed before the LMM stage (the run records them as errors).");
        sb.AppendLine();
        sb.AppendLine("| Provider | Model | LMM calls | Input tokens (est.) | Output tokens (at most) | Requests/min | Tokens/min | Time at the limits | Tokens counted with |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var p in plan.Providers)
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {p.Name} | {p.Model} | {p.Calls} | {p.InputTokens} ± {p.InputTolerance:0%} | {Known(p.OutputTokenLimit)} | {Limit(p.RequestsPerMinute)} | {Limit(p.TokensPerMinute)} | {Duration(p.Minutes)} | {p.Encoding}, images: {p.ImageRule} |");
        sb.AppendLine();
        sb.AppendLine(plan.Tolerance);
        return sb.ToString();
    }

    private static readonly JsonSerializerOptions s_json = new(EvalJson.Options) { WriteIndented = true };

    public static string Json(EvalPlan plan) => JsonSerializer.Serialize(plan, s_json);

    private static string Known(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "unknown";

    private static string Cost(decimal? cost) => cost is { } c ? c.ToString("0.######", CultureInfo.InvariantCulture) : "unknown (no price)";

    private static string Limit(int? perMinute) => perMinute?.ToString(CultureInfo.InvariantCulture) ?? "no limit";

    private static string Duration(double? minutes) => minutes switch
    {
        null => "no limit set",
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{minutes * 60:0} s"),
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{minutes:0.0} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{minutes / 60:0.0} h"),
    };
}
