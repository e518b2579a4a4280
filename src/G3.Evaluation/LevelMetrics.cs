namespace G3.Evaluation;

/// <summary>
/// One level of one configuration: how often its answer was right and how well its confidence says so.
/// </summary>
/// <param name="AccuracyPercent">% of all the configuration's images whose answer at this level was right (failed requests count as wrong, as for the km thresholds).</param>
/// <param name="Answered">Images that got an answer at this level.</param>
/// <param name="CertainPercent">% of answered images not marked uncertain.</param>
/// <param name="CertainAccuracyPercent">% right among those not marked uncertain (null when none).</param>
public sealed record LevelScore(string Level, double AccuracyPercent, int Answered, double CertainPercent, double? CertainAccuracyPercent, LevelReliability Reliability);

/// <summary>Per-level scores of one configuration (only configurations whose results carry per-level answers).</summary>
public sealed record ConfigurationLevelMetrics(string Configuration, int Images, IReadOnlyList<LevelScore> Levels)
{
    public LevelScore? For(string level) => Levels.FirstOrDefault(l => l.Level == level);
}

public static class LevelMetrics
{
    /// <summary>Per configuration (in order of first appearance) that has any per-level answer; others are left out.</summary>
    public static IReadOnlyList<ConfigurationLevelMetrics> Compute(IEnumerable<EvalRecord> records) =>
        records.GroupBy(r => r.Configuration).Select(Compute).OfType<ConfigurationLevelMetrics>().ToList();

    public static ConfigurationLevelMetrics? Compute(IGrouping<string, EvalRecord> group)
    {
        var rows = group.ToList();
        var answers = rows.Where(r => r.Levels is not null).SelectMany(r => r.Levels!).ToList();
        if (answers.Count == 0) return null;
        var levels = answers.Select(a => a.Level).Distinct(StringComparer.Ordinal).Select(level =>
        {
            var at = answers.Where(a => a.Level == level).ToList();
            var certain = at.Where(a => !a.Uncertain).ToList();
            return new LevelScore(
                level,
                100.0 * at.Count(a => a.Right) / rows.Count,
                at.Count,
                100.0 * certain.Count / at.Count,
                certain.Count == 0 ? null : 100.0 * certain.Count(a => a.Right) / certain.Count,
                LevelReliability.Build(at.Select(a => (a.Confidence, a.Right)).ToList()));
        }).ToList();
        return new ConfigurationLevelMetrics(group.Key, rows.Count, levels);
    }
}
