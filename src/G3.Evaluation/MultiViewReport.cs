using System.Globalization;
using System.Text;
using G3.Core.Geo;

namespace G3.Evaluation;

/// <summary>
/// The multi-view section of a report: accuracy by photos per query with the gain over one photo, in points at each
/// threshold, and the distribution of the similarities between the photos asked together (on the multi-view split's
/// same-place rows, what the model manifest's "viewAgreement" threshold is read from).
/// </summary>
public static class MultiViewReport
{
    /// <summary>Quantiles of the same-place pair similarities printed in the report.</summary>
    public static readonly double[] Quantiles = [0.01, 0.02, 0.05, 0.10, 0.50];

    /// <summary>Empty when no configuration asked with several views.</summary>
    public static string Markdown(IReadOnlyList<EvalRecord> records, IReadOnlyList<ConfigurationMetrics> metrics)
    {
        if (!records.Any(r => r.Views > 1)) return "";
        var views = records.GroupBy(r => r.Configuration).ToDictionary(g => g.Key, g => g.Max(r => r.Views));
        var baseline = metrics.FirstOrDefault(m => views.GetValueOrDefault(m.Configuration) == 1);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine("## Photos per query");
        sb.AppendLine();
        sb.AppendLine(baseline is null
            ? "No configuration asks with one photo, so no gain is shown."
            : $"Gain: accuracy minus that of \"{baseline.Configuration}\" (one photo per place), in points.");
        sb.AppendLine();
        var km = AccuracyThresholds.StandardKm;
        sb.AppendLine("| Configuration | Views | " + string.Join(" | ", km.Select(k => $"{k:0.##} km")) + " | " + string.Join(" | ", km.Select(k => $"gain {k:0.##} km")) + " | Median km |");
        sb.AppendLine("|---|---:|" + string.Concat(Enumerable.Repeat("---:|", 2 * km.Count + 1)));
        foreach (var m in metrics)
        {
            sb.Append(inv, $"| {m.Configuration} | {views.GetValueOrDefault(m.Configuration, 1)} | ");
            sb.Append(string.Join(" | ", m.AccuracyPercent.Select(a => a.ToString("0.00", inv))));
            sb.Append(" | ");
            sb.Append(string.Join(" | ", m.AccuracyPercent.Select((a, i) => baseline is null ? "" : (a - baseline.AccuracyPercent[i]).ToString("+0.00;-0.00;0.00", inv))));
            sb.Append(inv, $" | {(m.MedianErrorKm is { } med ? med.ToString("0.0", inv) : "-")} |");
            sb.AppendLine();
        }

        // Each place's pairs are counted once, from the configuration with the most views.
        var pairs = records.Where(r => r.ViewPairSimilarities is { Count: > 0 })
            .GroupBy(r => r.ImageId)
            .SelectMany(g => g.MaxBy(r => r.Views)!.ViewPairSimilarities!)
            .Order().ToList();
        if (pairs.Count > 0)
        {
            sb.AppendLine();
            // Whether the photos asked together show one place is the views file's business (the synthetic multi-view
            // split's rows do; a control such as view-agreement's far-apart rows does not), so the label says neither.
            sb.AppendLine(string.Create(inv, $"Similarity of the photos asked together, pair by pair (cosine of retrieval embeddings, {pairs.Count} pairs of photos asked together; which photos go together is the views file's):"));
            sb.AppendLine();
            sb.AppendLine("| min | " + string.Join(" | ", Quantiles.Select(q => $"q{q * 100:0.##}")) + " | max |");
            sb.AppendLine("|---:|" + string.Concat(Enumerable.Repeat("---:|", Quantiles.Length + 1)));
            sb.AppendLine(string.Create(inv, $"| {pairs[0]:0.0000} | ") + string.Join(" | ", Quantiles.Select(q => Quantile(pairs, q).ToString("0.0000", inv))) + string.Create(inv, $" | {pairs[^1]:0.0000} |"));
        }
        return sb.ToString();
    }

    /// <summary>The q-quantile of sorted values (linear interpolation between order statistics).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        var pos = q * (sorted.Count - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
