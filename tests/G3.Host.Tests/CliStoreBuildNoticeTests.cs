using G3.Cli;
using G3.Host.Composition;
using G3.Host.Hosting;
using G3.Retrieval;
using Microsoft.Extensions.Configuration;

namespace G3.Host.Tests;

/// <summary>A store that eval builds on its own (minutes of work) is announced first: which store, how many photos, from where.</summary>
public sealed class CliStoreBuildNoticeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("g3-notice").FullName;

    /// <summary>A world already on disk, holding the metadata of three photos.</summary>
    private sealed class ThreePhotoWorld(string directory) : IFirstStartWorld
    {
        public string Name => "a three-photo world";

        public ReferencePhotos? Find(string dir)
        {
            Directory.CreateDirectory(directory);
            var metadata = Path.Combine(directory, "metadata.csv");
            File.WriteAllText(metadata, "IMG_ID,LAT,LON\na.jpg,1,2\nb.jpg,3,4\nc.jpg,5,6\n");
            return new ReferencePhotos(metadata, directory);
        }

        public Task<ReferencePhotos> GenerateAsync(string dir, FirstStartSettings settings, IProgress<(int Done, int Total)> progress, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the world is already there");
    }

    private IConfiguration Configuration(string store) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Model:Manifest"] = TestPaths.Fixture("onnx", "image-fixture", "manifest.json"),
        ["Store:Kind"] = "embedded",
        ["Store:Embedded:Directory"] = store,
        ["Store:Embedded:ElementType"] = "Float16",
        ["FirstStart:WorldDirectory"] = Path.Combine(_dir, "world"),
    }).Build();

    [Fact]
    public async Task A_missing_store_is_announced_with_its_photo_count_and_folders()
    {
        var store = Path.Combine(_dir, "f16");
        var error = new StringWriter();
        await WriteNoticeAsync(Configuration(store), new ThreePhotoWorld(Path.Combine(_dir, "world")), error, "eval", "for the rows that name it");
        Assert.Equal($"eval: no embedded float16 store {store} yet: building it from the 3 database photos in {Path.Combine(_dir, "world")} " +
            "for the rows that name it (minutes; later runs reuse it)", error.ToString().Trim());
    }

    [Fact]
    public async Task An_existing_store_is_not_announced()
    {
        var store = Path.Combine(_dir, "f16");
        Directory.CreateDirectory(store);
        await File.WriteAllTextAsync(Path.Combine(store, "manifest.json"), "{}");
        var error = new StringWriter();
        await WriteNoticeAsync(Configuration(store), new ThreePhotoWorld(Path.Combine(_dir, "world")), error, "eval", "for the rows that name it");
        Assert.Empty(error.ToString());
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static Task WriteNoticeAsync(IConfiguration configuration, IFirstStartWorld world, TextWriter error, string verb, string why) =>
        StoreBuildNotice.WriteAsync(G3Settings.Load<FirstStartSettings>(configuration), G3Settings.Load<StoreSettings>(configuration),
            G3Settings.Load<ModelSettings>(configuration), world, error, verb, why);
}
