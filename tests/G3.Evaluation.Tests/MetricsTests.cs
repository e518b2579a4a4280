namespace G3.Evaluation.Tests;

public class MetricsTests
{
    [Fact]
    public void Metrics_match_hand_computed_values()
    {
        EvalRecord R(string config, double? error, bool degraded = false, int unparsable = 0) => new()
        {
            Configuration = config, ImageId = Guid.NewGuid().ToString(), TrueLatitude = 0, TrueLongitude = 0, ErrorKm = error,
            Degraded = degraded, Unparsable = unparsable, Error = error is null ? "failed" : null,
        };
        var metrics = EvalMetrics.Compute([R("a", 0.5), R("a", 30), R("a", 800, degraded: true, unparsable: 3), R("a", null), R("b", 10)]);
        var a = metrics.Single(m => m.Configuration == "a");
        Assert.Equal([25.0, 25, 50, 50, 75], a.AccuracyPercent);
        Assert.Equal(30, a.MedianErrorKm);
        Assert.Equal((0.5 + 30 + 800) / 3, a.MeanErrorKm!.Value, 9);
        Assert.Equal((4, 3, 1, 1, 3), (a.Images, a.Answered, a.Failed, a.Degraded, a.Unparsable));
        Assert.Equal([0.0, 100, 100, 100, 100], metrics.Single(m => m.Configuration == "b").AccuracyPercent);
        var md = ReportWriter.Markdown(metrics, PublishedResults.Im2Gps3k);
        Assert.Contains("| a | 25.00 | 25.00 | 50.00 | 50.00 | 75.00 | 30.0 |", md, StringComparison.Ordinal);
        Assert.Contains("G3 GPT-4V (paper)", md, StringComparison.Ordinal);
    }
}
