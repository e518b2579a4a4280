namespace G3.Evaluation.Tests;

/// <summary>The multi-view pieces of the runner: the views file and the report's gain and pair-similarity tables.</summary>
public sealed class MultiViewReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("g3-mv-eval").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static EvalRecord Record(string config, string id, double errorKm, int views, params double[] pairs) => new()
    {
        Configuration = config, ImageId = id, TrueLatitude = 0, TrueLongitude = 0, PredictedLatitude = 0, PredictedLongitude = 0,
        ErrorKm = errorKm, Views = views, ViewPairSimilarities = pairs.Length == 0 ? null : pairs,
    };

    [Fact]
    public void The_gain_over_one_photo_is_in_points_and_pairs_count_once_per_place()
    {
        EvalRecord[] records =
        [
            Record("1 view", "a", 100, 1), Record("1 view", "b", 5000, 1),
            Record("2 views", "a", 10, 2, 0.9), Record("2 views", "b", 100, 2, 0.5),
            Record("4 views", "a", 10, 4, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4), Record("4 views", "b", 20, 4, 1, 1, 1, 1, 1, 1),
        ];
        var markdown = MultiViewReport.Markdown(records, EvalMetrics.Compute(records));
        // 25 km: 0 % → 50 % → 100 %; 200 km: 50 % → 100 % → 100 %.
        Assert.Contains("| 2 views | 2 | 0.00 | 50.00 | 100.00 | 100.00 | 100.00 | 0.00 | +50.00 | +50.00 | +50.00 | +50.00 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| 4 views | 4 | 0.00 | 100.00 | 100.00 | 100.00 | 100.00 | 0.00 | +100.00 | +50.00 | +50.00 | +50.00 |", markdown, StringComparison.Ordinal);
        Assert.Contains("12 pairs of photos asked together", markdown, StringComparison.Ordinal); // the 4-view records' pairs only
        Assert.Equal("", MultiViewReport.Markdown([Record("1 view", "a", 1, 1)], EvalMetrics.Compute([Record("1 view", "a", 1, 1)])));
    }

    [Fact]
    public void Quantiles_interpolate_between_order_statistics() =>
        Assert.Equal(0.25, MultiViewReport.Quantile([0.0, 1.0], 0.25), 12);

    [Fact]
    public void The_views_file_gives_the_first_n_photos_and_refuses_too_few()
    {
        var path = Path.Combine(_dir, "views.csv");
        File.WriteAllText(path, "IMG_ID,VIEWS,landmark\nmv_0_0.jpg,mv_0_0.jpg;mv_0_1.jpg;mv_0_2.jpg,1-0\n");
        var views = MultiViewDataset.Load(path);
        Assert.Equal(["mv_0_0.jpg", "mv_0_1.jpg"], views.ViewsOf("mv_0_0.jpg", 2));
        Assert.Contains("asks for 4", Assert.Throws<InvalidDataException>(() => views.ViewsOf("mv_0_0.jpg", 4)).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => views.ViewsOf("other.jpg", 1));
    }
}
