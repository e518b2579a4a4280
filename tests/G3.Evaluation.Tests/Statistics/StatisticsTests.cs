using G3.Evaluation.Statistics;

namespace G3.Evaluation.Tests.Statistics;

public sealed class StatisticsTests
{
    [Fact]
    public void Wilson_matches_the_textbook_values_and_reaches_the_ends_exactly()
    {
        // 8 of 10 at z = 1.96: 0.4902–0.9433; 3 of 3: 0.4385–1 (worked from the formula by hand).
        var (lo, hi) = ProportionInterval.Wilson(8, 10);
        Assert.Equal(0.4902, lo, 4);
        Assert.Equal(0.9433, hi, 4);
        Assert.Equal((0.0, 1.0), (ProportionInterval.Wilson(0, 3).Low, ProportionInterval.Wilson(3, 3).High));
        Assert.Equal(0.4385, ProportionInterval.Wilson(3, 3).Low, 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => ProportionInterval.Wilson(4, 3));
    }

    [Fact]
    public void The_bootstrap_is_seeded_and_a_cluster_bootstrap_is_wider_when_clusters_move_together()
    {
        // 20 clusters of 10 identical outcomes: resampling units treats 200 draws as independent, clusters do not.
        var outcomes = Enumerable.Range(0, 200).Select(i => i / 10 % 2 == 0 ? 1.0 : 0.0).ToArray();
        var clusters = Enumerable.Range(0, 200).Select(i => (i / 10).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        double Mean(IReadOnlyList<int> picks) => picks.Average(i => outcomes[i]);

        var units = BootstrapInterval.Of(200, Mean, seed: 3);
        Assert.Equal(units, BootstrapInterval.Of(200, Mean, seed: 3));
        var grouped = BootstrapInterval.OfClusters(clusters, Mean, seed: 3);
        Assert.InRange(0.5, units.Low, units.High);
        Assert.InRange(0.5, grouped.Low, grouped.High);
        Assert.True(grouped.High - grouped.Low > 2 * (units.High - units.Low), $"clusters {grouped}, units {units}");
    }
}
