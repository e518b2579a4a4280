using G3.Core.Geo;

namespace G3.Evaluation;

/// <summary>The paper's metrics for one configuration.</summary>
/// <param name="AccuracyPercent">% of images within each of <see cref="AccuracyThresholds.StandardKm"/>.</param>
/// <param name="Answered">Images that got a prediction; failed requests count in <paramref name="Images"/> only.</param>
public sealed record ConfigurationMetrics(
    string Configuration,
    int Images,
    int Answered,
    IReadOnlyList<double> AccuracyPercent,
    double? MedianErrorKm,
    double? MeanErrorKm,
    int Unparsable,
    int InvalidCoordinates,
    int ProviderErrors,
    int Degraded,
    int Failed)
{
    /// <summary>The configuration's LMM calls, tokens and estimated cost; a total with an unknown part is unknown.</summary>
    public EvalUsage Usage { get; init; } = EvalUsage.None;
}

public static class EvalMetrics
{
    /// <summary>Metrics per configuration, in the order configurations first appear.</summary>
    public static IReadOnlyList<ConfigurationMetrics> Compute(IEnumerable<EvalRecord> records) =>
        records.GroupBy(r => r.Configuration).Select(Compute).ToList();

    public static ConfigurationMetrics Compute(IGrouping<string, EvalRecord> group)
    {
        var rows = group.ToList();
        var errors = rows.Where(r => r.ErrorKm is not null).Select(r => r.ErrorKm!.Value).Order().ToList();
        var accuracy = AccuracyThresholds.StandardKm
            .Select(t => rows.Count == 0 ? 0 : 100.0 * errors.Count(e => e <= t) / rows.Count)
            .ToList();
        return new ConfigurationMetrics(
            group.Key,
            rows.Count,
            errors.Count,
            accuracy,
            Median(errors),
            errors.Count > 0 ? errors.Average() : null,
            rows.Sum(r => r.Unparsable),
            rows.Sum(r => r.InvalidCoordinates),
            rows.Sum(r => r.ProviderErrors),
            rows.Count(r => r.Degraded),
            rows.Count(r => r.ErrorKm is null))
        {
            // A line without usage (a failed request, a line from before usage was recorded) leaves its calls uncounted,
            // so its tokens and cost are unknown rather than read as free.
            Usage = rows.Aggregate(EvalUsage.None, (sum, r) => sum + (r.Usage ?? Unrecorded)),
        };
    }

    private static readonly EvalUsage Unrecorded = new(0, 0, null, null, 0, null);

    private static double? Median(List<double> sorted) => sorted.Count switch
    {
        0 => null,
        var n when n % 2 == 1 => sorted[n / 2],
        var n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
    };
}
