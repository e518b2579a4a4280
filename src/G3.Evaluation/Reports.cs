namespace G3.Evaluation;

/// <summary>Writes a run's reports from its JSON lines alone: report.md, report.csv, report.json, accuracy.svg, and levels.json when the run has answers per level.</summary>
internal static class Reports
{
    /// <param name="stopped">Where the run stopped short of its end (the cost cap), said at the top of report.md; null: it did not.</param>
    /// <param name="baselines">Rows whose paired gain compares with another row than the first (row → baseline; the experiment's "baseline").</param>
    public static string Write(string runDirectory, string title, string? datasetKind, string? stopped = null, IReadOnlyDictionary<string, string>? baselines = null)
    {
        var records = ResultsFile.Read(runDirectory);
        var metrics = EvalMetrics.Compute(records);
        var published = datasetKind is null ? null : PublishedResults.For(datasetKind);
        var markdown = (stopped is null ? "" : $"**Incomplete run: {stopped}.**\n\n") + ReportWriter.Markdown(metrics, published) + "\n" + IntervalReport.Markdown(records, baselines)
            + MultiViewReport.Markdown(records, metrics)
            + "\n" + ReportWriter.UsageMarkdown(metrics);
        // Answers per level (country, region, city), when the run recorded them.
        var levels = LevelMetrics.Compute(records);
        if (levels.Count > 0)
        {
            markdown += "\n" + LevelReportWriter.Markdown(levels, metrics);
            WriteAtomically(Path.Combine(runDirectory, "levels.json"), LevelReportWriter.Json(levels));
        }
        WriteAtomically(Path.Combine(runDirectory, "report.md"), $"# {title}\n\n{markdown}");
        WriteAtomically(Path.Combine(runDirectory, "report.csv"), ReportWriter.Csv(metrics));
        WriteAtomically(Path.Combine(runDirectory, "report.json"), ReportWriter.Json(metrics));
        WriteAtomically(Path.Combine(runDirectory, "accuracy.svg"), ReportWriter.Svg(metrics, title));
        return markdown;
    }

    private static void WriteAtomically(string path, string content)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, content);
        File.Move(temp, path, overwrite: true);
    }
}
