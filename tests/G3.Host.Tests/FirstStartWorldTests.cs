using System.Globalization;
using System.Runtime.InteropServices;
using G3.Alignment.Encoders;
using G3.Alignment.Models;
using G3.Cli;
using G3.Host.Composition;
using G3.Host.Hosting;
using G3.Retrieval;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace G3.Host.Tests;

/// <summary>
/// The first start builds the embedded store from the world the executable injects (the IFirstStartWorld port):
/// the service library generates nothing by itself, and g3 injects the synthetic MP16-Pro world.
/// </summary>
public sealed class FirstStartWorldTests(ServiceFixture service) : IClassFixture<ServiceFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("g3-first-start").FullName;

    private string Store => Path.Combine(_dir, "store");
    private string World => Path.Combine(_dir, "world");

    [Fact]
    public async Task The_store_is_built_from_the_injected_world_which_is_generated_once()
    {
        var world = new FixtureWorld();
        await EnsureStoreAsync(world);
        Assert.Equal(1, world.Generated);
        Assert.Equal(FixtureWorld.Photos.Length, await CountAsync());

        // A second start finds the store; a start after the store is lost finds the world and only indexes it.
        await EnsureStoreAsync(world);
        Directory.Delete(Store, recursive: true);
        await EnsureStoreAsync(world);
        Assert.Equal(1, world.Generated);
        Assert.Equal(FixtureWorld.Photos.Length, await CountAsync());
    }

    [Fact]
    public async Task Without_an_injected_world_the_first_start_generates_and_builds_nothing()
    {
        await EnsureStoreAsync(world: null);
        Assert.False(Directory.Exists(World));
        Assert.False(ReferenceStores.EmbeddedStoreExists(StoreSettings(), G3Paths.Resolve));
    }

    [Fact]
    public async Task g3_injects_the_synthetic_world_and_the_service_library_alone_injects_none()
    {
        Assert.IsType<SyntheticFirstStartWorld>(service.Services.GetService<IFirstStartWorld>());
        await using var library = ServiceHost.Build(["--urls=http://127.0.0.1:0", "--FirstStart:BuildEmbeddedStore=false"]);
        Assert.Null(library.Services.GetService<IFirstStartWorld>());
    }

    [FactRequiringGeographyData]
    public async Task The_synthetic_world_generates_its_database_split_in_MP16_Pro_layout()
    {
        var world = new SyntheticFirstStartWorld();
        Assert.Null(world.Find(World));
        var settings = new FirstStartSettings { Seed = 5, DatabaseCount = 4, QueryCount = 1 };
        var photos = await world.GenerateAsync(World, settings, new Progress<(int, int)>(), default);
        Assert.Equal(photos, world.Find(World));
        var rows = File.ReadAllLines(photos.Metadata).Skip(1).Select(l => l.Split(',')[0]).ToList();
        Assert.Equal(4, rows.Count);
        Assert.All(rows, id => Assert.True(File.Exists(Path.Combine(photos.Images, id)), id));
    }

    private Task EnsureStoreAsync(IFirstStartWorld? world)
    {
        var configuration = Configuration();
        return FirstStart.EnsureStoreAsync(G3Settings.Load<FirstStartSettings>(configuration), G3Settings.Load<StoreSettings>(configuration),
            G3Settings.Load<ModelSettings>(configuration), world, _ => { }, NullLogger.Instance, default);
    }

    private IConfiguration Configuration() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Model:Manifest"] = TestPaths.Fixture("onnx", "image-fixture", "manifest.json"),
        ["Store:Kind"] = "embedded",
        ["Store:Embedded:Directory"] = Store,
        ["FirstStart:BuildEmbeddedStore"] = "true",
        ["FirstStart:WorldDirectory"] = World,
        ["FirstStart:DatabaseCount"] = FixtureWorld.Photos.Length.ToString(CultureInfo.InvariantCulture),
    }).Build();

    private StoreSettings StoreSettings() => new() { Kind = "embedded", Embedded = new() { Directory = Store } };

    private async Task<long> CountAsync()
    {
        var manifest = TestPaths.Fixture("onnx", "image-fixture", "manifest.json");
        using var encoder = ImageEncoder.Open(manifest);
        var store = ReferenceStores.Open(StoreSettings(), G3Paths.Resolve, ModelManifestLoader.Load(manifest).Id, encoder.Model.Spec.Retrieval.Dimension, create: false, readOnly: true);
        try { return await store.CountAsync(default); }
        finally { (store as IDisposable)?.Dispose(); }
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>A world of three fixture photos at known cities, in MP16-Pro's layout; counts how often it is generated.</summary>
    private sealed class FixtureWorld : IFirstStartWorld
    {
        public static readonly (string File, double Lat, double Lon)[] Photos =
            [("landscape.jpg", 48.8566, 2.3522), ("gray.jpg", 52.52, 13.405), ("rgba.png", 35.68, 139.69)];

        public int Generated { get; private set; }

        public string Name => "the fixture world";

        public ReferencePhotos? Find(string directory) =>
            File.Exists(Path.Combine(directory, "metadata.csv")) ? At(directory) : null;

        public Task<ReferencePhotos> GenerateAsync(string directory, FirstStartSettings settings, IProgress<(int Done, int Total)> progress, CancellationToken cancellationToken)
        {
            Generated++;
            var photos = At(directory);
            Directory.CreateDirectory(photos.Images);
            foreach (var p in Photos) File.Copy(TestPaths.Fixture("images", p.File), Path.Combine(photos.Images, p.File));
            File.WriteAllLines(photos.Metadata, ["IMG_ID,LAT,LON", .. Photos.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.File},{p.Lat},{p.Lon}"))]);
            progress.Report((Photos.Length, Photos.Length));
            return Task.FromResult(photos);
        }

        private static ReferencePhotos At(string directory) => new(Path.Combine(directory, "metadata.csv"), Path.Combine(directory, "images"));
    }
}

/// <summary>A fact that needs the geography data and libturbojpeg (scripts/bootstrap.sh), as the synthetic world does.</summary>
internal sealed class FactRequiringGeographyDataAttribute : FactAttribute
{
    public FactRequiringGeographyDataAttribute()
    {
        if (!File.Exists(TestPaths.InRepo(".deps", "geodata", "cities.pbf")))
            Skip = "needs the geography data in .deps/geodata: run scripts/bootstrap.sh";
        else if (!NativeLibrary.TryLoad("libturbojpeg.so.0", out _))
            Skip = "needs libturbojpeg.so.0 (Debian libturbojpeg0): run scripts/bootstrap.sh";
    }
}
