using System.CommandLine;
using G3.Cli;
using G3.Retrieval.Embedded;

namespace G3.Host.Tests;

public sealed class IndexCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("g3-index-cli").FullName;
    private static readonly string Manifest = TestPaths.Fixture("onnx", "image-fixture", "manifest.json");

    private string WriteDataset()
    {
        var images = Path.Combine(_dir, "images");
        Directory.CreateDirectory(Path.Combine(images, "a"));
        foreach (var name in new[] { "landscape.jpg", "progressive.jpg", "lossy.webp", "rgba.png" })
            File.Copy(TestPaths.Fixture("images", name), Path.Combine(images, "a", name));
        File.Copy(TestPaths.Fixture("images", "truncated.jpg"), Path.Combine(images, "a", "broken.jpg"));
        var csv = Path.Combine(_dir, "mp16.csv");
        File.WriteAllLines(csv,
        [
            "IMG_ID,LAT,LON,city,country",
            "a/landscape.jpg,48.8566,2.3522,Paris,France",
            "a/progressive.jpg,45.764,4.8357,Lyon,France",
            "a/lossy.webp,-33.8688,151.2093,Sydney,Australia",
            "a/rgba.png,35.68,139.69,Tokyo,Japan",
            "a/broken.jpg,40.4,-3.7,Madrid,Spain",
            "a/missing.jpg,52.5,13.4,Berlin,Germany",
            "a/bad-row.jpg,95,13.4,Nowhere,None",
        ]);
        return csv;
    }

    private async Task<(int Exit, string Out, string Err)> Index(string csv, params string[] extra)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await G3Cli.Create()
            .Parse([
                "index", "--manifest", Manifest, "--metadata", csv, "--images", Path.Combine(_dir, "images"), "--batch", "2",
                .. extra, $"--Store:Embedded:Directory={Path.Combine(_dir, "store")}"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Indexes_readable_photos_reports_the_rest_and_resumes()
    {
        var csv = WriteDataset();
        var (exit, output, error) = await Index(csv);
        Assert.True(exit == 0, error);
        Assert.Contains("indexed         4", output, StringComparison.Ordinal);
        Assert.Contains("unreadable      2", output, StringComparison.Ordinal); // truncated + missing file
        Assert.Contains("bad CSV rows    1", output, StringComparison.Ordinal);

        using (var store = EmbeddedReferenceStore.Open(Path.Combine(_dir, "store"), "g3-fixture-image", 48))
        {
            Assert.Equal(4, store.Count);
            using var encoder = G3.Alignment.Encoders.ImageEncoder.Open(Manifest);
            var query = await ((G3.Core.Ports.IImageEncoder)encoder).EncodeAsync(new(File.ReadAllBytes(TestPaths.Fixture("images", "lossy.webp"))), default);
            var hit = (await store.SearchAsync(query.Retrieval, 1, default)).Single();
            Assert.Equal("a/lossy.webp", hit.Id);
            Assert.Equal("Sydney", hit.Place!.City);
        }
        var report = await File.ReadAllTextAsync(Path.Combine(_dir, "index-report.tsv"));
        Assert.Contains("a/broken.jpg", report, StringComparison.Ordinal);
        Assert.Contains("a/missing.jpg", report, StringComparison.Ordinal);
        Assert.Contains("mp16.csv:8", report, StringComparison.Ordinal);

        var (again, output2, _) = await Index(csv);
        Assert.Equal(0, again);
        Assert.Contains("indexed         0", output2, StringComparison.Ordinal);
        Assert.Contains("already stored  4", output2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_made_by_another_model_is_refused_with_a_clear_error()
    {
        var csv = WriteDataset();
        EmbeddedReferenceStore.Create(Path.Combine(_dir, "store"), 48, "some-other-model").Dispose();
        var (exit, _, error) = await Index(csv);
        Assert.Equal(1, exit);
        Assert.Contains("some-other-model", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_shards_index_every_photo_exactly_once_between_them()
    {
        var csv = WriteDataset();
        var (exit1, out1, err1) = await Index(csv, "--shard", "1/2");
        Assert.True(exit1 == 0, err1);
        var (exit2, out2, err2) = await Index(csv, "--shard", "2/2");
        Assert.True(exit2 == 0, err2);
        Assert.Contains("(shard 1/2 of them)", out1, StringComparison.Ordinal);

        static int Indexed(string output) => int.Parse(
            output.Split('\n').Single(l => l.TrimStart().StartsWith("indexed ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(4, Indexed(out1) + Indexed(out2));
        Assert.InRange(Indexed(out1), 1, 3); // both shards got work (pinned hash, fixed ids)
        Assert.Contains("store now holds 4", out2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_prints_rows_shard_sizes_bytes_and_a_measured_estimate_and_writes_nothing()
    {
        var csv = WriteDataset();
        var (exit, output, error) = await Index(csv, "--shard", "2/3", "--dry-run");
        Assert.True(exit == 0, error);
        Assert.Contains("rows            6 photos in mp16.csv, 1 bad CSV rows", output, StringComparison.Ordinal);
        Assert.Contains("shard sizes     1/3: ", output, StringComparison.Ordinal);
        var sizes = output.Split('\n').Single(l => l.Contains("shard sizes", StringComparison.Ordinal))
            .Split("  ", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(p => int.Parse(p.Split(": ")[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(6, sizes.Sum());
        Assert.Contains("192 B per photo, Float32", output, StringComparison.Ordinal); // 48 dimensions × 4 bytes
        Assert.Contains("estimated time", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "store")), "a dry run creates no store");
    }

    [Theory]
    [InlineData("3/2")]
    [InlineData("two/3")]
    public async Task A_shard_that_does_not_exist_is_refused(string shard)
    {
        var csv = WriteDataset();
        var (exit, _, error) = await Index(csv, "--shard", shard);
        Assert.Equal(2, exit);
        Assert.Contains($"--shard", error, StringComparison.Ordinal);
        Assert.Contains(shard, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "store")));
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
