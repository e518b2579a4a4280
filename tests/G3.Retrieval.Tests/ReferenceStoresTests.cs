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
}
