using System.Globalization;
using System.Text;
using System.Text.Json;
using G3.Core.Geo;

namespace G3.Evaluation;

/// <summary>Renders metrics as the paper lays them out: Markdown, CSV, JSON, and an SVG accuracy plot.</summary>
public static class ReportWriter
{
    private static readonly string[] Columns = ["Street 1km", "City 25km", "Region 200km", "Country 750km", "Continent 2500km"];

    public static string Markdown(IReadOnlyList<ConfigurationMetrics> metrics, IReadOnlyList<PublishedRow>? published = null)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| Configuration | " + string.Join(" | ", Columns) + " | Median km | Mean km | Images | Failures |");
        sb.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---:|", Columns.Length + 4)));
        foreach (var m in metrics)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {m.Configuration} | ");
            sb.Append(string.Join(" | ", m.AccuracyPercent.Select(a => a.ToString("0.00", CultureInfo.InvariantCulture))));
            sb.Append(CultureInfo.InvariantCulture, $" | {Km(m.MedianErrorKm)} | {Km(m.MeanErrorKm)} | {m.Images} | {Failures(m)} |");
            sb.AppendLine();
        }
        foreach (var p in published ?? [])
            sb.AppendLine($"| *{p.Method}* | " + string.Join(" | ", p.AccuracyPercent.Select(a => a.ToString("0.00", CultureInfo.InvariantCulture))) + " | | | | |");
        return sb.ToString();
    }

    /// <summary>LMM calls, cached answers, tokens and estimated cost per configuration ("unknown" where a count was not reported or a price not configured).</summary>
    public static string UsageMarkdown(IReadOnlyList<ConfigurationMetrics> metrics)
    {
        var sb = new StringBuilder();
        sb.AppendLine("## LMM usage");
        sb.AppendLine();
        sb.AppendLine("Cached answers cost no call. Costs are estimated at the configured prices (Lmm:Providers:NAME:Price).");
        sb.AppendLine();
        sb.AppendLine("| Configuration | LMM calls | Cached answers | Input tokens | Output tokens | Images sent | Estimated cost |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var m in metrics)
        {
            var u = m.Usage;
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {m.Configuration} | {u.Calls} | {u.CachedAnswers} | {Known(u.InputTokens)} | {Known(u.OutputTokens)} | {u.Images} | {Known(u.Cost)} |");
        }
        return sb.ToString();
    }

    private static string Known(long? count) => count?.ToString(CultureInfo.InvariantCulture) ?? "unknown";

    private static string Known(decimal? cost) => cost?.ToString("0.######", CultureInfo.InvariantCulture) ?? "unknown";

    public static string Csv(IReadOnlyList<ConfigurationMetrics> metrics)
    {
        var sb = new StringBuilder();
        sb.AppendLine("configuration,acc_1km,acc_25km,acc_200km,acc_750km,acc_2500km,median_km,mean_km,images,answered,unparsable,invalid,provider_errors,degraded,failed,lmm_calls,cached_answers,input_tokens,output_tokens,images_sent,estimated_cost");
        foreach (var m in metrics)
        {
            var fields = new List<string> { Quote(m.Configuration) };
            fields.AddRange(m.AccuracyPercent.Select(a => a.ToString("0.####", CultureInfo.InvariantCulture)));
            fields.Add(m.MedianErrorKm?.ToString("0.###", CultureInfo.InvariantCulture) ?? "");
            fields.Add(m.MeanErrorKm?.ToString("0.###", CultureInfo.InvariantCulture) ?? "");
            fields.AddRange(new[] { m.Images, m.Answered, m.Unparsable, m.InvalidCoordinates, m.ProviderErrors, m.Degraded, m.Failed }
                .Select(v => v.ToString(CultureInfo.InvariantCulture)));
            // Unknown counts and costs are empty fields, never 0.
            var u = m.Usage;
            fields.AddRange([u.Calls.ToString(CultureInfo.InvariantCulture), u.CachedAnswers.ToString(CultureInfo.InvariantCulture),
                u.InputTokens?.ToString(CultureInfo.InvariantCulture) ?? "", u.OutputTokens?.ToString(CultureInfo.InvariantCulture) ?? "",
                u.Images.ToString(CultureInfo.InvariantCulture), u.Cost?.ToString(CultureInfo.InvariantCulture) ?? ""]);
            sb.AppendLine(string.Join(",", fields));
        }
        return sb.ToString();
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string Json(IReadOnlyList<ConfigurationMetrics> metrics) => JsonSerializer.Serialize(metrics, JsonOptions);

    /// <summary>Accuracy (%) against distance threshold on a log axis, one polyline per configuration.</summary>
    public static string Svg(IReadOnlyList<ConfigurationMetrics> metrics, string title)
    {
        const int width = 720, height = 440, left = 60, right = 200, top = 40, bottom = 50;
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        var thresholds = AccuracyThresholds.StandardKm;
        double X(double km) => left + plotW * (Math.Log10(km) - 0) / (Math.Log10(thresholds[^1]) - 0);
        double Y(double pct) => top + plotH * (1 - pct / 100);
        string[] palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
        var inv = CultureInfo.InvariantCulture;

        var sb = new StringBuilder();
        sb.AppendLine(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">");
        sb.AppendLine(inv, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        sb.AppendLine(inv, $"<text x=\"{left}\" y=\"24\" font-size=\"15\">{Escape(title)}</text>");
        for (var pct = 0; pct <= 100; pct += 20)
        {
            sb.AppendLine(inv, $"<line x1=\"{left}\" y1=\"{Y(pct):0.#}\" x2=\"{left + plotW}\" y2=\"{Y(pct):0.#}\" stroke=\"#ddd\"/>");
            sb.AppendLine(inv, $"<text x=\"{left - 8}\" y=\"{Y(pct) + 4:0.#}\" text-anchor=\"end\">{pct}%</text>");
        }
        foreach (var km in thresholds)
        {
            sb.AppendLine(inv, $"<line x1=\"{X(km):0.#}\" y1=\"{top}\" x2=\"{X(km):0.#}\" y2=\"{top + plotH}\" stroke=\"#ddd\"/>");
            sb.AppendLine(inv, $"<text x=\"{X(km):0.#}\" y=\"{top + plotH + 18}\" text-anchor=\"middle\">{km:0} km</text>");
        }
        sb.AppendLine(inv, $"<text x=\"{left + plotW / 2}\" y=\"{height - 10}\" text-anchor=\"middle\">distance threshold (log scale)</text>");
        for (var i = 0; i < metrics.Count; i++)
        {
            var color = palette[i % palette.Length];
            var points = string.Join(" ", thresholds.Select((km, j) => string.Create(inv, $"{X(km):0.#},{Y(metrics[i].AccuracyPercent[j]):0.#}")));
            sb.AppendLine(inv, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>");
            foreach (var (km, j) in thresholds.Select((km, j) => (km, j)))
                sb.AppendLine(inv, $"<circle cx=\"{X(km):0.#}\" cy=\"{Y(metrics[i].AccuracyPercent[j]):0.#}\" r=\"3\" fill=\"{color}\"/>");
            var ly = top + 16 * i + 8;
            sb.AppendLine(inv, $"<line x1=\"{left + plotW + 16}\" y1=\"{ly}\" x2=\"{left + plotW + 36}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"2\"/>");
            sb.AppendLine(inv, $"<text x=\"{left + plotW + 40}\" y=\"{ly + 4}\">{Escape(metrics[i].Configuration)}</text>");
        }
        sb.AppendLine("</svg>");
        return sb.ToString();
    }

    private static string Km(double? km) => km?.ToString("0.0", CultureInfo.InvariantCulture) ?? "–";

    private static string Failures(ConfigurationMetrics m) =>
        $"{m.Failed} failed, {m.Degraded} degraded, {m.Unparsable} unparsable, {m.ProviderErrors} provider errors";

    private static string Quote(string s) => s.Contains(',', StringComparison.Ordinal) || s.Contains('"', StringComparison.Ordinal)
        ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : s;

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
