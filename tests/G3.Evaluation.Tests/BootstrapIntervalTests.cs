namespace G3.Evaluation.Tests;

public class BootstrapIntervalTests
{
    private static double[] Hits(int hits, int total) => Enumerable.Range(0, total).Select(i => i < hits ? 100.0 : 0.0).ToArray();

    [Fact]
    public void Accuracy_interval_brackets_the_estimate_with_the_binomial_width()
    {
        // 300 hits of 1000: p = 0.3, standard error sqrt(0.3 * 0.7 / 1000) = 1.45 points, so a 95 % interval is
        // about ±2.8 points; a bootstrap of 2000 resamples lands within a few tenths of that.
        var interval = BootstrapInterval.Mean(Hits(300, 1000));
        Assert.Equal(30.0, interval.Estimate, 9);
        Assert.InRange(interval.Low, 26.8, 27.6);
        Assert.InRange(interval.High, 32.4, 33.2);
        Assert.Equal((0.95, 2000, 0), (interval.Level, interval.Resamples, interval.Seed));
    }

    [Fact]
    public void Same_seed_same_interval_other_seed_other_interval()
    {
        // Continuous values (errors in km, say), so two seeds' quantiles cannot land on the same grid point.
        var values = Enumerable.Range(0, 400).Select(i => Math.Sqrt(i * 7919 % 401)).ToArray();
        Assert.Equal(BootstrapInterval.Mean(values, seed: 5), BootstrapInterval.Mean(values, seed: 5));
        Assert.NotEqual(BootstrapInterval.Mean(values, seed: 5).Low, BootstrapInterval.Mean(values, seed: 6).Low);
    }

    [Fact]
    public void Paired_difference_is_narrower_than_the_sides_when_few_queries_change()
    {
        // 1000 queries, b hits the first 300, a the first 340: a gains 40 queries and loses none.
        var a = Hits(340, 1000);
        var b = Hits(300, 1000);
        var diff = BootstrapInterval.PairedDifference(a, b);
        Assert.Equal(4.0, diff.Estimate, 9);
        Assert.True(diff.Low > 2.5 && diff.High < 5.5, $"{diff.Low} .. {diff.High}");
        var sideWidth = BootstrapInterval.Mean(a).High - BootstrapInterval.Mean(a).Low;
        Assert.True(diff.High - diff.Low < sideWidth, "pairing removes the spread the two sides share");
        Assert.Throws<ArgumentException>(() => BootstrapInterval.PairedDifference(a, b[..999]));
    }

    [Fact]
    public void Cluster_resampling_widens_the_interval_of_correlated_items()
    {
        // 50 sites of 10 photos each; a site's photos are all hits or all misses (perfectly correlated). Resampling
        // photos treats them as 500 independent draws; resampling sites sees only 50, about sqrt(10) times wider.
        var site = Enumerable.Range(0, 500).Select(i => i / 10).ToArray();
        var values = site.Select(s => s < 20 ? 100.0 : 0.0).ToArray();
        var byPhoto = BootstrapInterval.Mean(values);
        var bySite = BootstrapInterval.OfClusters(site, s => s.Average(i => values[i]));
        Assert.Equal(40.0, bySite.Estimate, 9);
        Assert.True(bySite.High - bySite.Low > 2.5 * (byPhoto.High - byPhoto.Low),
            $"by site {bySite.Low}..{bySite.High}, by photo {byPhoto.Low}..{byPhoto.High}");
    }

    [Fact]
    public void Statistic_sees_resamples_of_the_right_size_and_range()
    {
        var seen = new List<int>();
        var interval = BootstrapInterval.Of(7, s =>
        {
            Assert.Equal(7, s.Count);
            seen.AddRange(s);
            return s.Max();
        }, resamples: 50);
        Assert.All(seen, i => Assert.InRange(i, 0, 6));
        Assert.Equal(6, interval.Estimate);
        Assert.True(interval.Low <= interval.High);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentException>(() => BootstrapInterval.Mean([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => BootstrapInterval.Mean([1.0], resamples: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BootstrapInterval.Mean([1.0], level: 1));
    }
}
