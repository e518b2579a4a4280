using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using G3.Alignment.Models;
using G3.Core.Ports;
using G3.Core.Geo;
using G3.Core.Pipeline;
using G3.Host.Composition;

namespace G3.Cli;

/// <summary>
/// <c>g3 eval-text --descriptions im2gps3k/descriptions.csv</c>: text queries on held-out descriptions
/// (written by <c>g3 describe</c>) through the service's own text path (the configured model's text
/// tower, store and location encoder), with the share placed within 1/25/200/750/2500 km of the truth.
/// Two rules side by side: the text query's answer (the most probable candidate location) and, as the
/// baseline it improves on, the location of the top retrieved reference. Writes results.csv (one row per
/// query), summary.json and summary.md to the run folder.
/// </summary>
internal static class EvalTextCommand
{
    private static readonly double[] ThresholdsKm = [1, 25, 200, 750, 2500];
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var descriptions = new Option<FileInfo>("--descriptions") { Description = "IMG_ID,LAT,LON,description rows (g3 describe's im2gps3k/descriptions.csv).", Required = true };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N descriptions (N ≥ 1)." };
        limit.Check(n => n < 1 ? $"--limit must be a positive number of descriptions (got {n})." : null);
        var output = new Option<DirectoryInfo?>("--out") { Description = "Run folder (default: runs/text-queries in the repository root)." };
        var command = new Command("eval-text", "Evaluate text queries on held-out descriptions: accuracy at 1/25/200/750/2500 km.")
        {
            descriptions, limit, output,
        };
        command.TreatUnmatchedTokensAsErrors = false; // --Section:Key=value settings pass through
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(descriptions)!, parse.GetValue(limit),
            parse.GetValue(output)?.FullName ?? G3Paths.Resolve("runs/text-queries"),
            CommandLineChecks.Settings(parse.UnmatchedTokens), parse, ct));
        return command;
    }

    private sealed record Row(string Id, GeoPoint Truth, GeoPoint Answer, double AnswerKm, GeoPoint TopReference, double TopReferenceKm, double Probability);

    private static async Task<int> RunAsync(FileInfo file, int? limit, string outDir, IReadOnlyList<string> settings, ParseResult parse, CancellationToken ct)
    {
        var stdout = parse.InvocationConfiguration.Output;
        var stderr = parse.InvocationConfiguration.Error;
        if (!file.Exists)
        {
            await stderr.WriteLineAsync($"eval-text: {file.FullName} does not exist (write it with `g3 describe --world WORLD`)");
            return ExitCodes.Usage;
        }
        List<(string Id, GeoPoint Truth, string Text)> queries;
        try
        {
            queries = ReadDescriptions(file.FullName);
        }
        catch (FormatException e)
        {
            await stderr.WriteLineAsync($"eval-text: {file.FullName}: {e.Message}");
            return ExitCodes.Usage;
        }
        if (limit is { } n) queries = queries.Take(n).ToList();

        if (await CliServices.LoadAsync(settings, stderr, "eval-text") is not { } services)
            return ExitCodes.Failure;
        await using (services)
        {
            var modelId = services.GetRequiredService<ModelManifest>().Id;
            if (services.GetService<TextGeolocator>() is not { } text)
            {
                await stderr.WriteLineAsync($"eval-text: the model '{modelId}' has no text tower (no \"text\" section in its manifest)");
                return ExitCodes.Failure;
            }
            var references = await services.GetRequiredService<IReferenceStore>().CountAsync(ct);
            var rows = new List<Row>(queries.Count);
            var bar = new ConsoleProgress("eval-text", queries.Count);
            foreach (var (id, truth, description) in queries)
            {
                var r = await text.LocateAsync(description, ct);
                var top = r.Candidates.MaxBy(c => c.Reference.Similarity)!.Point;
                rows.Add(new Row(id, truth, r.Point, GreatCircle.DistanceKm(r.Point, truth), top, GreatCircle.DistanceKm(top, truth), r.Candidates[0].Probability));
                bar.Report(rows.Count);
            }
            bar.Complete(rows.Count);
            Directory.CreateDirectory(outDir);
            var command = "g3 eval-text --descriptions " + file.Name + (limit is { } l ? $" --limit {l}" : "") + string.Concat(settings.Select(s => " " + s));
            var summary = Summary(rows, modelId, references, text.CandidateCount, command);
            await File.WriteAllTextAsync(Path.Combine(outDir, "results.csv"), Csv(rows), ct);
            await File.WriteAllTextAsync(Path.Combine(outDir, "summary.json"), JsonSerializer.Serialize(summary, Indented) + "\n", ct);
            var markdown = Markdown(summary);
            await File.WriteAllTextAsync(Path.Combine(outDir, "summary.md"), markdown, ct);
            await stdout.WriteLineAsync(markdown);
            return ExitCodes.Ok;
        }
    }

    private static List<(string, GeoPoint, string)> ReadDescriptions(string path)
    {
        var list = new List<(string, GeoPoint, string)>();
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (lineNo++ == 0 || line.Length == 0) continue;
            // IMG_ID, LAT and LON are never quoted; the description (the rest) is, with "" for a quote.
            var parts = line.Split(',', 4);
            if (parts.Length != 4 || !double.TryParse(parts[1], NumberStyles.Float, Inv, out var lat) || !double.TryParse(parts[2], NumberStyles.Float, Inv, out var lon))
                throw new FormatException($"line {lineNo} is not IMG_ID,LAT,LON,description");
            var text = parts[3];
            if (text.Length >= 2 && text[0] == '"' && text[^1] == '"') text = text[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
            list.Add((parts[0], new GeoPoint(lat, lon), text));
        }
        return list;
    }

    private sealed record RuleSummary(string Rule, double[] AccuracyPercent, double MedianKm);

    private sealed record EvalSummary(string Model, long References, int Candidates, int Queries, double[] ThresholdsKm, RuleSummary[] Rules, string Command);

    private static EvalSummary Summary(List<Row> rows, string model, long references, int candidates, string command)
    {
        RuleSummary Rule(string name, Func<Row, double> km) => new(name,
            [.. ThresholdsKm.Select(t => Math.Round(100.0 * rows.Count(r => km(r) <= t) / Math.Max(1, rows.Count), 1))],
            Math.Round(Median(rows.Select(km)), 1));
        return new EvalSummary(model, references, candidates, rows.Count, ThresholdsKm,
            [Rule("text query (most probable candidate)", r => r.AnswerKm), Rule("top retrieved reference", r => r.TopReferenceKm)], command);
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    private static string Markdown(EvalSummary s)
    {
        var sb = new StringBuilder();
        sb.Append(Inv, $"Text queries: {s.Queries} held-out descriptions, model {s.Model}, {s.References} references, {s.Candidates} candidate locations per query.").AppendLine().AppendLine();
        sb.Append("| rule | ").Append(string.Join(" | ", s.ThresholdsKm.Select(t => string.Create(Inv, $"{t:0} km")))).AppendLine(" | median km |");
        sb.Append("|---|").Append(string.Concat(Enumerable.Repeat("---:|", s.ThresholdsKm.Length))).AppendLine("---:|");
        foreach (var r in s.Rules)
            sb.Append("| ").Append(r.Rule).Append(" | ").Append(string.Join(" | ", r.AccuracyPercent.Select(a => a.ToString("0.0", Inv))))
              .Append(" | ").Append(r.MedianKm.ToString("0.0", Inv)).AppendLine(" |");
        sb.AppendLine().Append("Command: `").Append(s.Command).AppendLine("`");
        return sb.ToString();
    }

    private static string Csv(List<Row> rows)
    {
        var sb = new StringBuilder("IMG_ID,true_lat,true_lon,answer_lat,answer_lon,answer_km,answer_probability,top_reference_lat,top_reference_lon,top_reference_km\n");
        foreach (var r in rows)
            sb.Append(Inv, $"{r.Id},{r.Truth.Latitude:F6},{r.Truth.Longitude:F6},{r.Answer.Latitude:F6},{r.Answer.Longitude:F6},{r.AnswerKm:F3},{r.Probability:F4},{r.TopReference.Latitude:F6},{r.TopReference.Longitude:F6},{r.TopReferenceKm:F3}\n");
        return sb.ToString();
    }
}
