using System.Globalization;
using System.Text;
using System.Text.Json;
using G3.Core.Geo;

namespace G3.Evaluation;

/// <summary>Renders the per-level answers of a run: accuracy beside the km threshold of the same name, and a reliability table per configuration.</summary>
public static class LevelReportWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The levels and the paper's threshold named after each (country 750 km, region 200 km, city 25 km).</summary>
    private static readonly (string Level, double Km)[] Beside = [("Country", 750), ("Region", 200), ("City", 25)];

    public static string Markdown(IReadOnlyList<ConfigurationLevelMetrics> levels, IReadOnlyList<ConfigurationMetrics> metrics)
    {
        if (levels.Count == 0) return "";
        var sb = new StringBuilder();
        sb.AppendLine("## Answers per level");
        sb.AppendLine();
        sb.AppendLine("Right: the answered country / region (admin-1) / city is the one the true coordinates fall in, both by the same offline reverse geocoder");
        sb.AppendLine("(\"none\" answers, such as no city nearby, are right when the truth has none either); failed requests count as wrong. Beside each level:");
        sb.AppendLine("the km threshold of the same name. Confidence: the verifier's probability mass of the candidates in the answered unit (through the model's per-level calibration when it has one);");
        sb.AppendLine("certain: answers at or above the uncertainty threshold, with their accuracy. ECE: expected calibration error over 10 confidence bins.");
        sb.AppendLine("Configurations without verifier probabilities (baseline selectors) have no per-level answers and are left out.");
        sb.AppendLine();
        sb.Append("| Configuration |");
        foreach (var (level, km) in Beside) sb.Append(Inv, $" {level} right | {level} {km:0}km | {level} certain (acc.) | {level} ECE |");
        sb.AppendLine(" Images |");
        sb.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---:|", Beside.Length * 4 + 1)));
        foreach (var l in levels)
        {
            var km = metrics.FirstOrDefault(m => m.Configuration == l.Configuration);
            sb.Append(Inv, $"| {l.Configuration} |");
            foreach (var (level, threshold) in Beside)
            {
                var s = l.For(level);
                var index = AccuracyThresholds.StandardKm.ToList().IndexOf(threshold);
                var kmAccuracy = km is null || index < 0 ? "–" : km.AccuracyPercent[index].ToString("0.00", Inv);
                sb.Append(s is null
                    ? $" – | {kmAccuracy} | – | – |"
                    : string.Create(Inv, $" {s.AccuracyPercent:0.00} | {kmAccuracy} | {s.CertainPercent:0.0}% ({Pct(s.CertainAccuracyPercent)}) | {s.Reliability.ExpectedCalibrationError:0.000} |"));
            }
            sb.AppendLine(Inv, $" {l.Images} |");
        }
        foreach (var l in levels)
        {
            sb.AppendLine();
            sb.AppendLine($"### Reliability: {l.Configuration}");
            sb.AppendLine();
            sb.Append("| Confidence |");
            foreach (var s in l.Levels) sb.Append($" {s.Level} n | {s.Level} mean conf. | {s.Level} right |");
            sb.AppendLine();
            sb.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---:|", l.Levels.Count * 3)));
            var bins = l.Levels[0].Reliability.Bins.Count;
            for (var b = 0; b < bins; b++)
            {
                var first = l.Levels[0].Reliability.Bins[b];
                sb.Append(Inv, $"| {first.Low:0.0}–{first.High:0.0} |");
                foreach (var s in l.Levels)
                {
                    var bin = s.Reliability.Bins[b];
                    sb.Append(bin.Count == 0
                        ? " 0 | – | – |"
                        : string.Create(Inv, $" {bin.Count} | {bin.MeanConfidence:0.000} | {bin.HitRate:0.000} |"));
                }
                sb.AppendLine();
            }
        }
        return sb.ToString();
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string Json(IReadOnlyList<ConfigurationLevelMetrics> levels) => JsonSerializer.Serialize(levels, JsonOptions);

    private static string Pct(double? p) => p is { } v ? v.ToString("0.0", Inv) + "%" : "–";
}
