namespace G3.Evaluation;

/// <summary>
/// A percentile bootstrap interval: the statistic on the data as measured, and the central <see cref="Level"/>
/// share of its values over <see cref="Resamples"/> resamples drawn with replacement. Seeded, so a report
/// re-rendered from the same results quotes the same interval. Units are the statistic's own (accuracy in %
/// gives an interval in %, a paired difference one in points).
/// </summary>
/// <param name="Estimate">The statistic on the data as measured (not the resamples' mean).</param>
public sealed record BootstrapInterval(double Estimate, double Low, double High, double Level, int Resamples, int Seed)
{
    public const int DefaultResamples = 2000;
    public const int DefaultSeed = 0;
    public const double DefaultLevel = 0.95;

    /// <summary>
    /// Resamples <paramref name="count"/> items (queries): <paramref name="statistic"/> gets the indices of one
    /// resample (size <paramref name="count"/>, drawn with replacement; the measured data is 0..count-1).
    /// </summary>
    public static BootstrapInterval Of(int count, Func<IReadOnlyList<int>, double> statistic,
        int resamples = DefaultResamples, int seed = DefaultSeed, double level = DefaultLevel)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        Check(count, resamples, level);
        var random = new Random(seed);
        var sample = new int[count];
        var values = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < count; i++) sample[i] = random.Next(count);
            values[r] = statistic(sample);
        }
        return FromValues(statistic(Enumerable.Range(0, count).ToArray()), values, level, seed);
    }

    /// <summary>
    /// Resamples whole clusters (e.g. the photos of one landmark site), for items that are not independent:
    /// <paramref name="clusterOf"/>[i] names item i's cluster, and each resample draws as many clusters as there
    /// are, with replacement, and hands <paramref name="statistic"/> every item of each drawn cluster.
    /// </summary>
    public static BootstrapInterval OfClusters<TCluster>(IReadOnlyList<TCluster> clusterOf, Func<IReadOnlyList<int>, double> statistic,
        int resamples = DefaultResamples, int seed = DefaultSeed, double level = DefaultLevel) where TCluster : notnull
    {
        ArgumentNullException.ThrowIfNull(clusterOf);
        ArgumentNullException.ThrowIfNull(statistic);
        var clusters = Enumerable.Range(0, clusterOf.Count).GroupBy(i => clusterOf[i]).Select(g => g.ToArray()).ToArray();
        Check(clusters.Length, resamples, level);
        var random = new Random(seed);
        var values = new double[resamples];
        var sample = new List<int>(clusterOf.Count * 2);
        for (var r = 0; r < resamples; r++)
        {
            sample.Clear();
            for (var c = 0; c < clusters.Length; c++) sample.AddRange(clusters[random.Next(clusters.Length)]);
            values[r] = statistic(sample);
        }
        return FromValues(statistic(Enumerable.Range(0, clusterOf.Count).ToArray()), values, level, seed);
    }

    /// <summary>The mean of per-query values (e.g. 100 for a hit within 25 km, 0 for a miss: accuracy in %).</summary>
    public static BootstrapInterval Mean(IReadOnlyList<double> values,
        int resamples = DefaultResamples, int seed = DefaultSeed, double level = DefaultLevel)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Of(values.Count, s => MeanOver(values, s), resamples, seed, level);
    }

    /// <summary>
    /// The mean of <paramref name="a"/>[i] − <paramref name="b"/>[i] over queries measured both ways (a paired
    /// difference: each resample keeps a query's two outcomes together, so the interval reflects the queries
    /// that changed, not the spread of each side alone).
    /// </summary>
    public static BootstrapInterval PairedDifference(IReadOnlyList<double> a, IReadOnlyList<double> b,
        int resamples = DefaultResamples, int seed = DefaultSeed, double level = DefaultLevel)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count) throw new ArgumentException($"a paired difference needs the same queries on both sides ({a.Count} against {b.Count})");
        var diff = a.Select((x, i) => x - b[i]).ToArray();
        return Mean(diff, resamples, seed, level);
    }

    private static double MeanOver(IReadOnlyList<double> values, IReadOnlyList<int> sample)
    {
        var sum = 0.0;
        foreach (var i in sample) sum += values[i];
        return sum / sample.Count;
    }

    private static void Check(int count, int resamples, double level)
    {
        if (count < 1) throw new ArgumentException("a bootstrap needs at least one item", nameof(count));
        if (resamples < 10) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "use at least 10 resamples");
        if (level is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(level), level, "the level is a share strictly between 0 and 1");
    }

    private static BootstrapInterval FromValues(double estimate, double[] values, double level, int seed)
    {
        Array.Sort(values);
        var tail = (1 - level) / 2;
        return new BootstrapInterval(estimate, Quantile(values, tail), Quantile(values, 1 - tail), level, values.Length, seed);
    }

    /// <summary>Linear interpolation between the order statistics (numpy's default percentile rule).</summary>
    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
    }
}
