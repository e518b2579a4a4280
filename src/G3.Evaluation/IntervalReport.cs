using System.Globalization;
using System.Text;
using G3.Core.Geo;

namespace G3.Evaluation;

/// <summary>
/// The report's 95 % intervals (<see cref="BootstrapInterval"/>, seeded, resampling the images): each configuration's
/// accuracy at every distance, and its paired gain over the first configuration (the table's baseline, e.g. top-1
/// retrieval) on the images both answered for. A failed image counts as a miss, as in the accuracy table. Images are
/// taken in id order, so two configurations with the same outcomes get the same interval whatever order the run wrote them in.
/// </summary>
public static class IntervalReport
{
    public static string Markdown(IReadOnlyList<EvalRecord> records)
    {
        var byConfiguration = records.GroupBy(r => r.Configuration)
            .Select(g => (Name: g.Key, Hits: g.GroupBy(r => r.ImageId).ToDictionary(i => i.Key, i => Hits(i.Last())))).ToList();
        if (byConfiguration.Count == 0) return "";
        var header = "| Configuration | " + string.Join(" | ", AccuracyThresholds.StandardKm.Select(t => $"{t:0} km")) + " | Images |";
        var rule = "|---|" + string.Concat(Enumerable.Repeat("---:|", AccuracyThresholds.StandardKm.Count + 1));
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"## 95 % intervals\n\nPercentile bootstrap over the images ({BootstrapInterval.DefaultResamples} resamples, seed {BootstrapInterval.DefaultSeed}): % within each distance, estimate [low, high].\n");
        sb.AppendLine(header).AppendLine(rule);
        foreach (var (name, hits) in byConfiguration)
        {
            var cells = Enumerable.Range(0, AccuracyThresholds.StandardKm.Count)
                .Select(t => Format(BootstrapInterval.Mean(hits.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => h.Value[t]).ToArray()), signed: false));
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {string.Join(" | ", cells)} | {hits.Count} |");
        }
        if (byConfiguration.Count < 2) return sb.ToString();

        var (baseName, baseHits) = byConfiguration[0];
        sb.AppendLine(CultureInfo.InvariantCulture, $"\nPaired gain over \"{baseName}\" in points (the same images on both sides), estimate [low, high]:\n");
        sb.AppendLine(header).AppendLine(rule);
        foreach (var (name, hits) in byConfiguration.Skip(1))
        {
            var shared = hits.Keys.Where(baseHits.ContainsKey).Order(StringComparer.Ordinal).ToArray();
            if (shared.Length == 0) continue;
            var cells = Enumerable.Range(0, AccuracyThresholds.StandardKm.Count).Select(t => Format(BootstrapInterval.PairedDifference(
                shared.Select(id => hits[id][t]).ToArray(), shared.Select(id => baseHits[id][t]).ToArray()), signed: true));
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {string.Join(" | ", cells)} | {shared.Length} |");
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
