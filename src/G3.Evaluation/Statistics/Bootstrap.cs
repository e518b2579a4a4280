namespace G3.Evaluation.Statistics;

/// <summary>
/// Seeded percentile bootstrap. Units are resampled with replacement; when units come in clusters (photos of one
/// landmark site), whole clusters are resampled, since photos of one site succeed or fail together and treating them
/// as independent understates the spread.
/// </summary>
public static class Bootstrap
{
    /// <summary>
    /// The 95 % percentile interval of <paramref name="statistic"/> over <paramref name="resamples"/> resamples.
    /// <paramref name="clusters"/>: one key per unit (null: every unit is its own cluster). The statistic gets the
    /// indices of the resampled units (with repeats).
    /// </summary>
    public static (double Low, double High) Interval(
        int units, Func<IReadOnlyList<int>, double> statistic, IReadOnlyList<string>? clusters = null, int resamples = 2000, int seed = 0)
    {
        if (units <= 0) throw new ArgumentOutOfRangeException(nameof(units), units, "a bootstrap needs at least one unit");
        if (resamples < 100) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "use at least 100 resamples");
        if (clusters is not null && clusters.Count != units) throw new ArgumentException($"{clusters.Count} cluster keys for {units} units", nameof(clusters));
        var groups = clusters is null
            ? Enumerable.Range(0, units).Select(i => new[] { i }).ToArray()
            : Enumerable.Range(0, units).GroupBy(i => clusters[i], StringComparer.Ordinal).Select(g => g.ToArray()).ToArray();
        var random = new Random(seed);
        var values = new double[resamples];
        var picked = new List<int>(units);
        for (var r = 0; r < resamples; r++)
        {
            picked.Clear();
            for (var g = 0; g < groups.Length; g++) picked.AddRange(groups[random.Next(groups.Length)]);
            values[r] = statistic(picked);
        }
        Array.Sort(values);
        return (Percentile(values, 0.025), Percentile(values, 0.975));
    }

    private static double Percentile(double[] sorted, double q)
    {
        var pos = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
