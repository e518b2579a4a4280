namespace G3.Evaluation.Tests;

/// <summary>Experiment files: the shipped ones load; a bad one, or a mistyped field, is refused with its problems named.</summary>
public class ExperimentFileTests
{
    [Theory]
    [InlineData("synthetic-ablation.json", 10, "synthetic")]
    [InlineData("im2gps3k-g3.json", 4, "IM2GPS3K")]
    [InlineData("synthetic-controlled.json", 6, "synthetic")]
    [InlineData("synthetic-test.json", 6, "synthetic")]
    public void Shipped_experiments_load_and_validate(string file, int configurations, string kind)
    {
        var experiment = Experiment.Load(TestPaths.InRepo("experiments", file));
        Assert.Equal(configurations, experiment.Configurations.Count);
        Assert.Equal(kind, experiment.Dataset.Kind);
        Assert.True(Path.IsPathRooted(experiment.Dataset.Metadata));
        Assert.All(experiment.Configurations, c => Assert.NotNull(c.Over(experiment.Defaults).Provider));
    }

    [Fact]
    public void A_bad_experiment_names_its_problems()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{\"name\":\"x\",\"dataset\":{\"kind\":\"synthetic\",\"metadata\":\"a.csv\",\"images\":\"i\"},\"concurrency\":0,\"configurations\":[{\"name\":\"a\"},{\"name\":\"a\"}]}");
        try
        {
            var ex = Assert.Throws<InvalidDataException>(() => Experiment.Load(path));
            Assert.Contains("'a' is used twice", ex.Message, StringComparison.Ordinal);
            Assert.Contains("'concurrency'", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_mistyped_field_is_refused_by_name()
    {
        var path = Path.Combine(Path.GetTempPath(), $"typo-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{\"name\":\"x\",\"dataset\":{\"kind\":\"synthetic\",\"metadata\":\"a.csv\",\"images\":\"i\"},\"configurations\":[{\"name\":\"a\",\"g3\":{\"retrieved_candiates\":3}}]}");
        try
        {
            var ex = Assert.Throws<InvalidDataException>(() => Experiment.Load(path));
            Assert.Contains("retrieved_candiates", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
