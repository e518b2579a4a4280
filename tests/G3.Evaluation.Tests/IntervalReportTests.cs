namespace G3.Evaluation.Tests;

public sealed class IntervalReportTests
{
    private static EvalRecord R(string config, int image, double? error) => new()
    {
        Configuration = config, ImageId = $"q{image}", TrueLatitude = 0, TrueLongitude = 0, ErrorKm = error, Error = error is null ? "failed" : null,
    };

    [Fact]
    public void Each_configuration_gets_its_accuracy_interval_and_its_paired_gain_over_the_first()
    {
        // 200 images: the baseline is within 25 km on the first 60; the other on the first 80 (gains 20, loses none),
        // and image 199 failed for it (a miss, as in the accuracy table).
        var records = Enumerable.Range(0, 200).Select(i => R("top-1", i, i < 60 ? 10 : 5000))
            .Concat(Enumerable.Range(0, 200).Select(i => R("consensus", i, i == 199 ? null : i < 80 ? 10 : 5000))).ToList();
        var md = IntervalReport.Markdown(records);

        var top1 = BootstrapInterval.Mean(Enumerable.Range(0, 200).Select(i => i < 60 ? 100.0 : 0).ToArray());
        Assert.Contains($"| top-1 | 0.0 [0.0, 0.0] | 30.0 [{top1.Low:0.0}, {top1.High:0.0}] |", md, StringComparison.Ordinal);
        var gain = md.Split('\n').Single(l => l.StartsWith("| consensus |", StringComparison.Ordinal) && l.Contains('+', StringComparison.Ordinal));
        Assert.StartsWith("| consensus | top-1 | 0.0 [0.0, 0.0] | +10.0 [+", gain, StringComparison.Ordinal);
        Assert.EndsWith("| 200 |", gain.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("the baseline is \"top-1\" unless", md, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_that_names_its_baseline_is_compared_with_it()
    {
        // Two stores: each store's consensus row is compared with the top-1 row of the same store.
        var records = Enumerable.Range(0, 100).SelectMany(i => new[]
        {
            R("top-1", i, i < 20 ? 10 : 5000), R("top-1, big store", i, i < 40 ? 10 : 5000), R("consensus, big store", i, i < 45 ? 10 : 5000),
        }).ToList();
        var md = IntervalReport.Markdown(records, new Dictionary<string, string> { ["consensus, big store"] = "top-1, big store" });
        Assert.Contains("| consensus, big store | top-1, big store | 0.0 [0.0, 0.0] | +5.0 [+", md, StringComparison.Ordinal);
        Assert.Contains("| top-1, big store | top-1 | 0.0 [0.0, 0.0] | +20.0 [+", md, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_outcomes_written_in_another_order_get_the_same_interval()
    {
        // A run with concurrency writes lines out of order; "first valid" equals top-1 image for image without an LMM.
        var records = Enumerable.Range(0, 300).Select(i => R("top-1", i, i % 3 == 0 ? 10 : 5000))
            .Concat(Enumerable.Range(0, 300).Reverse().Select(i => R("first valid", i, i % 3 == 0 ? 10 : 5000))).ToList();
        var rows = IntervalReport.Markdown(records).Split('\n').Where(l => l.Contains("] |", StringComparison.Ordinal)).Take(2).ToArray();
        Assert.Equal(rows[0].Replace("| top-1 |", "", StringComparison.Ordinal), rows[1].Replace("| first valid |", "", StringComparison.Ordinal));
    }

    [Fact]
    public void No_records_no_section()
    {
        Assert.Equal("", IntervalReport.Markdown([]));
    }
}
