using G3.Core.Options;
using G3.Retrieval.Embedded;
using Microsoft.Extensions.Configuration;

namespace G3.Retrieval.Tests;

public sealed class ReferenceStoresTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("g3-stores").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Relative store paths land in this test's folder, as the host resolves them against its root.</summary>
    private string Resolve(string path) => Path.GetFullPath(path, _dir);

    private static StoreSettings Bind(string kind) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Store:Kind"] = kind }).Build()
            .GetSection(StoreSettings.SectionName).Get<StoreSettings>()!;

    public static TheoryData<StoreKind> EveryKind() => [.. Enum.GetValues<StoreKind>()];

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void Every_kind_is_registered_from_its_configured_name_to_an_open_store(StoreKind kind)
    {
        var name = ReferenceStores.Name(kind);
        Assert.Equal(kind, ReferenceStores.Parse(name));
        Assert.Equal(kind, ReferenceStores.Parse(name.ToUpperInvariant()));

        var settings = Bind(name);
        Assert.Empty(settings.Validate());
        Assert.False(string.IsNullOrWhiteSpace(ReferenceStores.Describe(settings, Resolve)));
        var (bytes, layout) = ReferenceStores.VectorLayout(settings, 16);
        Assert.True(bytes >= 2 * 16, $"{kind}: {bytes} bytes per 16-dimensional vector");
        Assert.False(string.IsNullOrWhiteSpace(layout));

        // Opening builds the kind's own store (a Qdrant store connects on first use, so no server is needed here).
        var store = ReferenceStores.Open(settings, Resolve, "m", 16, create: true);
        try
        {
            Assert.Equal(16, store.Dimension);
            Assert.Equal(kind, KindOf(store));
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    /// <summary>The store class each kind must open; a kind missing here fails the theory above.</summary>
    private static StoreKind? KindOf(object store) => store switch
    {
        EmbeddedReferenceStore => StoreKind.Embedded,
        G3.Retrieval.Qdrant.QdrantReferenceStore => StoreKind.Qdrant,
        _ => null,
    };

    [Fact]
    public void The_refusal_names_every_kind()
    {
        var error = Assert.Single(Bind("faiss").Validate());
        foreach (var kind in Enum.GetValues<StoreKind>())
            Assert.Contains($"'{ReferenceStores.Name(kind)}'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("qdrnt")]
    [InlineData("1")]
    [InlineData("embedded,qdrant")]
    [InlineData(" embedded")]
    [InlineData("")]
    public void A_misspelt_kind_binds_and_is_refused_naming_the_setting(string kind)
    {
        var settings = Bind(kind);
        Assert.Null(ReferenceStores.Parse(kind));
        Assert.Equal([$"Store:Kind is '{kind}'; it must be 'embedded' or 'qdrant'."], settings.Validate());
        var ex = Assert.Throws<G3OptionsException>(() => ReferenceStores.Open(settings, Resolve, "m", 16, create: true));
        Assert.Contains($"Store:Kind is '{kind}'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public void An_embedded_store_exists_once_created_and_only_as_the_embedded_kind()
    {
        var settings = new StoreSettings { Embedded = new() { Directory = "store" } };
        Assert.False(ReferenceStores.EmbeddedStoreExists(settings, Resolve));
        using (ReferenceStores.Open(settings, Resolve, "m", 4, create: true) as IDisposable) { }
        Assert.True(ReferenceStores.EmbeddedStoreExists(settings, Resolve));
        settings.Kind = "qdrant";
        Assert.False(ReferenceStores.EmbeddedStoreExists(settings, Resolve));
    }

    private static StoreSettings BindEmbedded(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(StoreSettings.SectionName).Get<StoreSettings>()!;

    [Theory]
    [InlineData("hnws")]
    [InlineData("flat")]
    [InlineData("")]
    public void A_misspelt_index_is_refused_naming_the_setting_and_creates_nothing(string index)
    {
        var settings = BindEmbedded(new() { ["Store:Embedded:Directory"] = "store", ["Store:Embedded:Index"] = index });
        Assert.Equal([$"Store:Embedded:Index is '{index}'; it must be 'exact' or 'hnsw'."], settings.Validate());
        Assert.Throws<G3OptionsException>(() => ReferenceStores.Open(settings, Resolve, "m", 16, create: true));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public void Hnsw_settings_out_of_range_are_refused_naming_each_key()
    {
        var settings = BindEmbedded(new()
        {
            ["Store:Embedded:Index"] = "HNSW", ["Store:Embedded:Hnsw:Connectivity"] = "1", ["Store:Embedded:Hnsw:EfSearch"] = "0",
        });
        var problems = settings.Validate();
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Store:Embedded:Hnsw:Connectivity is 1;", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Store:Embedded:Hnsw:EfSearch is 0;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_hnsw_store_opens_through_the_registry_and_its_index_is_built_there()
    {
        var settings = BindEmbedded(new() { ["Store:Embedded:Directory"] = "store", ["Store:Embedded:Index"] = "hnsw" });
        Assert.Empty(settings.Validate());
        Assert.EndsWith("with an hnsw index", ReferenceStores.Describe(settings, Resolve), StringComparison.Ordinal);
        var store = (EmbeddedReferenceStore)ReferenceStores.Open(settings, Resolve, "m", 8, create: true);
        using (store)
        {
            var random = new Random(3);
            await store.UpsertAsync(Enumerable.Range(0, 300).Select(i => new G3.Core.Ports.ReferenceRecord(
                $"r/{i}.jpg", Enumerable.Range(0, 8).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(), new G3.Core.Geo.GeoPoint(0, 0))).ToArray(),
                CancellationToken.None);
            var built = ReferenceStores.BuildIndex(store, settings, null, CancellationToken.None);
            Assert.Equal(300, built!.Rows);
            Assert.Equal(300, store.HnswRows);
        }
        settings.Embedded.Index = "exact";
        using var exact = (EmbeddedReferenceStore)ReferenceStores.Open(settings, Resolve, "m", 8, create: false);
        Assert.Equal(0, exact.HnswRows);
        Assert.Null(ReferenceStores.BuildIndex(exact, settings, null, CancellationToken.None));
    }
}
