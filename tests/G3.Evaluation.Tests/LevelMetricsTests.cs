namespace G3.Evaluation.Tests;

public class LevelMetricsTests
{
    private static EvalRecord R(string config, double? errorKm, params EvalLevel[] levels) => new()
    {
        Configuration = config, ImageId = Guid.NewGuid().ToString(), TrueLatitude = 0, TrueLongitude = 0, ErrorKm = errorKm,
        Error = errorKm is null ? "failed" : null, Levels = levels.Length == 0 ? null : levels,
    };

    private static EvalLevel Country(string? predicted, string? truth, double confidence, bool uncertain = false) =>
        new("Country", predicted, predicted, confidence, uncertain, truth, truth);

    private static EvalLevel City(string? predicted, string? truth, double confidence, bool uncertain = false) =>
        new("City", predicted, predicted, confidence, uncertain, truth, truth);

    [Fact]
    public void Per_level_accuracy_counts_right_units_over_all_images_with_failures_as_wrong()
    {
        var records = new[]
        {
            R("a", 10, Country("FR", "FR", 0.95), City("geonames:1", "geonames:1", 0.55)),
            R("a", 300, Country("FR", "FR", 0.85), City("geonames:1", "geonames:2", 0.35, uncertain: true)),
            R("a", 900, Country("DE", "FR", 0.45), City(null, null, 0.15, uncertain: true)), // "no city nearby", truly none: right
            R("a", null),                                                                   // failed: wrong at every level
            R("selector", 5),                                                               // no per-level answers
        };
        var levels = LevelMetrics.Compute(records);

        var a = Assert.Single(levels);
        Assert.Equal(("a", 4), (a.Configuration, a.Images));
        var country = a.For("Country")!;
        Assert.Equal(50.0, country.AccuracyPercent, 9);      // 2 right of 4 images
        Assert.Equal(3, country.Answered);
        Assert.Equal(100.0, country.CertainPercent, 9);
        Assert.Equal(200.0 / 3, country.CertainAccuracyPercent!.Value, 9);
        var city = a.For("City")!;
        Assert.Equal(50.0, city.AccuracyPercent, 9);         // geonames:1 and the none-vs-none answer
        Assert.Equal(100.0 / 3, city.CertainPercent, 9);
        Assert.Equal(100.0, city.CertainAccuracyPercent!.Value, 9);
    }

    [Fact]
    public void The_reliability_table_bins_confidences_and_its_ECE_matches_a_hand_computation()
    {
        var table = LevelReliability.Build([(0.95, true), (0.85, true), (0.45, false), (0.41, true), (1.0, false)]);

        Assert.Equal(10, table.Bins.Count);
        Assert.Equal(5, table.Total);
        var top = table.Bins[9];                                    // 0.95 and 1.0 (the last bin is closed)
        Assert.Equal((2, 0.975, 0.5), (top.Count, Math.Round(top.MeanConfidence, 12), top.HitRate));
        Assert.Equal((1, 1.0), (table.Bins[8].Count, table.Bins[8].HitRate));
        Assert.Equal((2, 0.43, 0.5), (table.Bins[4].Count, Math.Round(table.Bins[4].MeanConfidence, 12), table.Bins[4].HitRate));
        Assert.All(table.Bins.Where((_, i) => i is not (4 or 8 or 9)), b => Assert.Equal(0, b.Count));
        // ECE = (2·|0.5 − 0.975| + 1·|1 − 0.85| + 2·|0.5 − 0.43|) / 5
        Assert.Equal((2 * 0.475 + 0.15 + 2 * 0.07) / 5, table.ExpectedCalibrationError, 12);
        Assert.Throws<ArgumentException>(() => LevelReliability.Build([(1.2, true)]));
    }

    [Fact]
    public void The_report_puts_each_level_beside_its_km_threshold_and_leaves_out_configurations_without_levels()
    {
        var records = new[]
        {
            R("a", 10, Country("FR", "FR", 0.95), City("geonames:1", "geonames:1", 0.55)),
            R("a", 900, Country("DE", "FR", 0.45), City("geonames:3", "geonames:2", 0.15, uncertain: true)),
            R("selector", 5),
        };
        var md = LevelReportWriter.Markdown(LevelMetrics.Compute(records), EvalMetrics.Compute(records));

        // Country right 50 % beside 50 % within 750 km; city right 50 % beside 50 % within 25 km.
        Assert.Contains("| a | 50.00 | 50.00 | 100.0% (50.0%) |", md, StringComparison.Ordinal);
        Assert.Contains("### Reliability: a", md, StringComparison.Ordinal);
        Assert.Contains("| 0.9–1.0 | 1 | 0.950 | 1.000 |", md, StringComparison.Ordinal);
        Assert.DoesNotContain("| selector |", md, StringComparison.Ordinal);
        Assert.Equal("", LevelReportWriter.Markdown(LevelMetrics.Compute([R("selector", 5)]), []));
    }
}
