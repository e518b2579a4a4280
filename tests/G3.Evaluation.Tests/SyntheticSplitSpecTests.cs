namespace G3.Evaluation.Tests;

/// <summary>The experiment file's synthetic query splits: the dataset's "world" and a store's "extra".</summary>
public sealed class SyntheticSplitSpecTests
{
    private static Experiment Load(string dataset, string store = "null")
    {
        var path = Path.Combine(Path.GetTempPath(), $"splits-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{\"name\":\"x\",\"dataset\":" + dataset + ",\"configurations\":[{\"name\":\"a\",\"store\":" + store + "}]}");
        try { return Experiment.Load(path); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_world_dataset_reads_the_query_split_of_its_folder_relative_to_the_file()
    {
        var e = Load("{\"kind\":\"synthetic\",\"world\":{\"seed\":2029,\"queries\":1000,\"directory\":\"w\"}}");
        var folder = Path.Combine(Path.GetTempPath(), "w");
        Assert.Equal(folder, e.Dataset.World!.Folder);
        Assert.Equal(Path.Combine(folder, "im2gps3k", "metadata.csv"), e.Dataset.MetadataPath);
        Assert.Equal(Path.Combine(folder, "im2gps3k", "images"), e.Dataset.ImagesPath);
    }

    [Theory]
    [InlineData("{\"kind\":\"synthetic\",\"world\":{\"seed\":1,\"queries\":5,\"directory\":\"w\"},\"metadata\":\"m.csv\"}", "either 'world'")]
    [InlineData("{\"kind\":\"synthetic\",\"world\":{\"seed\":1,\"queries\":5}}", "needs a 'directory'")]
    [InlineData("{\"kind\":\"synthetic\",\"world\":{\"seed\":1,\"queries\":0,\"directory\":\"w\"}}", "dataset.world.queries must be 1..")]
    [InlineData("{\"kind\":\"synthetic\",\"metadata\":\"m.csv\"}", "needs 'metadata' and 'images'")]
    public void A_bad_dataset_is_refused_with_its_reason(string dataset, string reason)
    {
        var ex = Assert.Throws<InvalidDataException>(() => Load(dataset));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mistyped_split_key_is_refused()
    {
        var ex = Assert.Throws<InvalidDataException>(() => Load("{\"kind\":\"synthetic\",\"world\":{\"seed\":1,\"querys\":5,\"directory\":\"w\"}}"));
        Assert.Contains("querys", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Store_extras_default_to_a_folder_per_split_prefix_ids_and_compare_by_value()
    {
        const string Dataset = "{\"kind\":\"synthetic\",\"metadata\":\"m.csv\",\"images\":\"i\"}";
        const string Store = "{\"directory\":\"s\",\"extra\":[{\"seed\":3,\"queries\":20000},{\"seed\":6,\"queries\":25000}]}";
        var a = Load(Dataset, Store).Configurations[0].Store!;
        var b = Load(Dataset, Store).Configurations[0].Store!;
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(45000, a.ExtraPhotos);
        Assert.Equal("data/mp16pro/generated/seed3-queries20000", a.Extra![0].Folder);
        Assert.Equal("seed6/q_000001.jpg", a.Extra[1].StoreId("q_000001.jpg"));
        Assert.NotEqual(a, Load(Dataset, "{\"directory\":\"s\",\"extra\":[{\"seed\":3,\"queries\":20000}]}").Configurations[0].Store);

        var ex = Assert.Throws<InvalidDataException>(() => Load(Dataset, "{\"directory\":\"s\",\"extra\":[{\"seed\":-1,\"queries\":5}]}"));
        Assert.Contains("store.extra[0].seed must not be negative", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[{\"name\":\"a\"},{\"name\":\"b\",\"baseline\":\"c\"}]", "baseline 'c' is not a configuration")]
    [InlineData("[{\"name\":\"a\",\"baseline\":\"a\"}]", "names itself as its baseline")]
    public void A_baseline_must_name_another_configuration(string configurations, string reason)
    {
        var path = Path.Combine(Path.GetTempPath(), $"baseline-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{\"name\":\"x\",\"dataset\":{\"kind\":\"synthetic\",\"metadata\":\"m.csv\",\"images\":\"i\"},\"configurations\":" + configurations + "}");
        try { Assert.Contains(reason, Assert.Throws<InvalidDataException>(() => Experiment.Load(path)).Message, StringComparison.Ordinal); }
        finally { File.Delete(path); }
    }
}
