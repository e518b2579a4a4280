using G3.Core.Geo;
using G3.Core.Ports;
using G3.Retrieval;
using G3.Retrieval.Embedded.Hnsw;

namespace G3.Evaluation.Tests;

/// <summary>A configuration's "store": its "index" is read, a typo is refused by name, and the choice reaches ReferenceStores.</summary>
public sealed class StoreOverrideTests
{
    private static string ExperimentWithStore(string store) =>
        "{\"name\":\"x\",\"dataset\":{\"kind\":\"synthetic\",\"metadata\":\"a.csv\",\"images\":\"i\"},\"configurations\":[{\"name\":\"a\",\"store\":" + store + "}]}";

    private static Experiment Load(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"store-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try { return Experiment.Load(path); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_mistyped_index_is_refused_naming_the_field()
    {
        var ex = Assert.Throws<InvalidDataException>(() => Load(ExperimentWithStore("{\"directory\":\"s\",\"index\":\"hnws\"}")));
        Assert.Contains("store.index", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_index_defaults_to_exact_and_hnsw_is_read()
    {
        Assert.Equal("exact", Load(ExperimentWithStore("{\"directory\":\"s\"}")).Configurations[0].Store!.Settings(new()).Embedded.Index);
        Assert.Equal("hnsw", Load(ExperimentWithStore("{\"directory\":\"s\",\"index\":\"hnsw\"}")).Configurations[0].Store!.Settings(new()).Embedded.Index);
    }

    [Theory]
    [InlineData("exact", false)]
    [InlineData("hnsw", true)]
    public async Task The_override_reaches_ReferenceStores_which_builds_and_serves_its_index(string index, bool indexed)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"store-{Guid.NewGuid():N}");
        try
        {
            var spec = Load(ExperimentWithStore($"{{\"directory\":{System.Text.Json.JsonSerializer.Serialize(directory)},\"element_type\":\"float16\",\"index\":\"{index}\"}}")).Configurations[0].Store!;
            var settings = spec.Settings(new HnswSettings { Connectivity = 8, EfConstruction = 32, EfSearch = 32, NearCandidates = 16, FarCells = 8 });
            Assert.Empty(ReferenceStores.Validate(settings));
            Assert.Equal(indexed, ReferenceStores.Describe(settings, p => p).EndsWith("with an hnsw index", StringComparison.Ordinal));

            var records = Enumerable.Range(0, 300).Select(i => new ReferenceRecord($"p{i}", UnitVector(i), new GeoPoint(i % 90, i % 180))).ToArray();
            using (var store = (IDisposable)ReferenceStores.Open(settings, p => p, "m", 16, create: true))
            {
                await ((IReferenceStore)store).UpsertAsync(records, CancellationToken.None);
                var built = ReferenceStores.BuildIndex((IReferenceStore)store, settings, null, CancellationToken.None);
                Assert.Equal(indexed, built is not null);
                if (built is not null) Assert.Equal(300, built.Rows);
            }
            using var served = (G3.Retrieval.Embedded.EmbeddedReferenceStore)ReferenceStores.Open(settings, p => p, "m", 16, create: false, readOnly: true);
            Assert.Equal(G3.Retrieval.Embedded.StoreElementType.Float16, served.ElementType);
            Assert.Equal(indexed ? 300 : 0, served.HnswRows);
            var nearest = await served.SearchAsync(records[42].Vector, 1, CancellationToken.None);
            Assert.Equal("p42", nearest[0].Id);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A distinct unit vector per row, so each row is its own nearest neighbour.</summary>
    private static float[] UnitVector(int seed)
    {
        var random = new Random(seed);
        var v = Enumerable.Range(0, 16).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }
}
