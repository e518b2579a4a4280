using System.CommandLine;
using System.Text.Json;
using G3.Cli;
using G3.Evaluation;
using G3.Retrieval.Embedded;

namespace G3.Host.Tests;

/// <summary>
/// An experiment file that generates what it measures: the dataset's <c>world</c> (a synthetic query split eval
/// generates when missing) and a store's <c>extra</c> photos (other query splits indexed beside the database).
/// </summary>
public sealed class EvalSyntheticSplitTests(ServiceFixture service) : IClassFixture<ServiceFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("g3-eval-splits").FullName;

    private string Store => Path.Combine(_dir, "store");

    private string WriteExperiment(int testSeed, int extraQueries)
    {
        // A copy of the fixture's store, so the extra photos added here never reach the other tests' store.
        Directory.CreateDirectory(Store);
        foreach (var file in Directory.GetFiles(service.StorePath))
            File.Copy(file, Path.Combine(Store, Path.GetFileName(file)), overwrite: true);
        var extra = new[] { new { seed = 78, queries = extraQueries, directory = Path.Combine(_dir, "seed78") } };
        var experiment = new
        {
            name = "splits",
            dataset = new { kind = "synthetic", world = new { seed = testSeed, queries = 3, directory = "test-world" } },
            concurrency = 1,
            defaults = new { provider = "none", g3 = new { reference_counts = new[] { 0 }, retrieved_candidates = 3 } },
            configurations = new object[]
            {
                new { name = "database only" },
                new { name = "database + extra", store = new { directory = Store, extra } },
                new { name = "same store again", store = new { directory = Store, extra }, selector = "argmax" },
            },
        };
        var path = Path.Combine(_dir, "experiment.json");
        File.WriteAllText(path, JsonSerializer.Serialize(experiment));
        return path;
    }

    private async Task<(int Exit, string Err)> Eval(string experiment)
    {
        var error = new StringWriter();
        string[] args = ["eval", experiment, "--out", Path.Combine(_dir, "run"),
            $"--Model:Manifest={service.ManifestPath}", $"--Store:Embedded:Directory={service.StorePath}", "--FirstStart:BuildEmbeddedStore=false"];
        var exit = await G3Cli.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = error });
        return (exit, error.ToString());
    }

    private long StoreRows() => StoreRowsOf(Store);

    [Fact]
    public async Task The_dataset_world_is_generated_and_the_extra_photos_indexed_once()
    {
        var experiment = WriteExperiment(testSeed: 77, extraQueries: 4);
        var fixtureRows = StoreRowsOf(service.StorePath);

        var (exit, error) = await Eval(experiment);
        Assert.True(exit == 0, error);
        var world = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "test-world", "world.json"))).RootElement;
        Assert.Equal((77, 3), (world.GetProperty("seed").GetInt32(), world.GetProperty("queries").GetProperty("count").GetInt32()));
        var records = ResultsFile.Read(Path.Combine(_dir, "run"));
        Assert.Equal(9, records.Count);
        Assert.Equal(3, records.Select(r => r.ImageId).Distinct().Count());
        Assert.Equal(fixtureRows + 4, StoreRows());
        Assert.Contains("4 extra photos indexed", error, StringComparison.Ordinal);
        Assert.Contains("95 % intervals", File.ReadAllText(Path.Combine(_dir, "run", "report.md")), StringComparison.Ordinal);

        // A second run (a new folder) finds the world and the extra photos in place: nothing generated or added.
        Directory.Delete(Path.Combine(_dir, "run"), true);
        (exit, error) = await Eval(experiment);
        Assert.True(exit == 0, error);
        Assert.DoesNotContain("generating", error, StringComparison.Ordinal);
        Assert.DoesNotContain("extra photos indexed", error, StringComparison.Ordinal);
        Assert.Equal(fixtureRows + 4, StoreRows());
    }

    [Fact]
    public async Task A_folder_holding_another_world_is_refused_and_left_alone()
    {
        var experiment = WriteExperiment(testSeed: 77, extraQueries: 2);
        Assert.Equal(0, (await Eval(experiment)).Exit);
        var before = File.ReadAllText(Path.Combine(_dir, "test-world", "world.json"));

        var other = WriteExperiment(testSeed: 79, extraQueries: 2);
        var (exit, error) = await Eval(other);
        Assert.Equal(1, exit);
        Assert.Contains("holds the world of seed 77 with 3 query photos, not seed 79 with 3", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(Path.Combine(_dir, "test-world", "world.json")));
    }

    private long StoreRowsOf(string directory)
    {
        using var encoder = G3.Alignment.Encoders.ImageEncoder.Open(service.ManifestPath);
        using var store = EmbeddedReferenceStore.Open(new EmbeddedStoreOptions
        {
            Directory = directory, ModelId = encoder.Model.Manifest.Id, Dimension = encoder.Model.Spec.Retrieval.Dimension, ReadOnly = true,
        });
        return store.CountAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
