using System.Globalization;
using System.Text;
using G3.Core.Geo;

namespace G3.Evaluation;

/// <summary>
/// The report's 95 % intervals (<see cref="BootstrapInterval"/>, seeded, resampling the images): each configuration's
/// accuracy at every distance, and its paired gain over its baseline (the first configuration, e.g. top-1 retrieval,
/// unless the experiment names another for the row) on the images both were asked. A failed image counts as a miss, as in the accuracy table. Images are
/// taken in id order, so two configurations with the same outcomes get the same interval whatever order the run wrote them in.
/// </summary>
public static class IntervalReport
{
    public static string Markdown(IReadOnlyList<EvalRecord> records, IReadOnlyDictionary<string, string>? baselines = null)
    {
        var outcomes = records.GroupBy(r => r.Configuration)
            .Select(g => (Name: g.Key, Hits: g.GroupBy(r => r.ImageId).ToDictionary(i => i.Key, i => Hits(i.Last())))).ToList();
        if (outcomes.Count == 0) return "";
        var header = "| Configuration | " + string.Join(" | ", AccuracyThresholds.StandardKm.Select(t => $"{t:0} km")) + " | Images |";
        var rule = "|---|" + string.Concat(Enumerable.Repeat("---:|", AccuracyThresholds.StandardKm.Count + 1));
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"## 95 % intervals\n\nPercentile bootstrap over the images ({BootstrapInterval.DefaultResamples} resamples, seed {BootstrapInterval.DefaultSeed}): % within each distance, estimate [low, high].\n");
        sb.AppendLine(header).AppendLine(rule);
        foreach (var (name, hits) in outcomes)
        {
            var cells = Enumerable.Range(0, AccuracyThresholds.StandardKm.Count)
                .Select(t => Format(BootstrapInterval.Mean(hits.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => h.Value[t]).ToArray()), signed: false));
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {string.Join(" | ", cells)} | {hits.Count} |");
        }
        if (outcomes.Count < 2) return sb.ToString();

        var first = outcomes[0].Name;
        var hitsOf = outcomes.ToDictionary(c => c.Name, c => c.Hits, StringComparer.Ordinal);
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"\nPaired gain over the baseline in points (the same images on both sides), estimate [low, high]; the baseline is \"{first}\" unless the experiment names another:\n");
        sb.AppendLine(header.Replace("| Configuration |", "| Configuration | Baseline |", StringComparison.Ordinal))
            .AppendLine(rule.Replace("|---|", "|---|---|", StringComparison.Ordinal));
        foreach (var (name, hits) in outcomes.Skip(1))
        {
            var baseName = baselines is not null && baselines.TryGetValue(name, out var named) && hitsOf.ContainsKey(named) ? named : first;
            if (baseName == name) continue;
            var baseHits = hitsOf[baseName];
            var shared = hits.Keys.Where(baseHits.ContainsKey).Order(StringComparer.Ordinal).ToArray();
            if (shared.Length == 0) continue;
            var cells = Enumerable.Range(0, AccuracyThresholds.StandardKm.Count).Select(t => Format(BootstrapInterval.PairedDifference(
                shared.Select(id => hits[id][t]).ToArray(), shared.Select(id => baseHits[id][t]).ToArray()), signed: true));
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {baseName} | {string.Join(" | ", cells)} | {shared.Length} |");
        }
        return sb.ToString();
    }

    /// <summary>100 for a hit within each standard distance, 0 for a miss or a failure: their mean is the accuracy in %.</summary>
    private static double[] Hits(EvalRecord r) =>
        AccuracyThresholds.StandardKm.Select(t => r.ErrorKm is { } e && e <= t ? 100.0 : 0.0).ToArray();

    private static string Format(BootstrapInterval i, bool signed)
    {
        var f = signed ? "+0.0;-0.0;0.0" : "0.0";
        return string.Create(CultureInfo.InvariantCulture, $"{i.Estimate.ToString(f, CultureInfo.InvariantCulture)} [{i.Low.ToString(f, CultureInfo.InvariantCulture)}, {i.High.ToString(f, CultureInfo.InvariantCulture)}]");
    }
}
