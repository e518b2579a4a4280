using System.Globalization;
using G3.Core.Geo;

namespace G3.Synthetic.Tests;

public sealed class SyntheticWorldTests
{
    private static string World => SharedWorld.World;

    [FactRequiringWorld]
    public void Same_seed_gives_identical_bytes_for_every_file()
    {
        var again = SharedWorld.GenerateTo(SharedWorld.Tiny with { Parallelism = 1 });
        var a = Files(World);
        var b = Files(again);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        Assert.True(a.Count > SharedWorld.Tiny.DatabaseCount + SharedWorld.Tiny.QueryCount);
        foreach (var (rel, bytes) in a) Assert.True(bytes.AsSpan().SequenceEqual(b[rel]), $"{rel} differs between two runs with the same seed");
    }

    [FactRequiringWorld]
    public void Another_seed_gives_another_world()
    {
        var other = SharedWorld.GenerateTo(SharedWorld.Tiny with { Seed = 43 });
        Assert.NotEqual(File.ReadAllText(SyntheticWorldLayout.DatabaseMetadata(World)), File.ReadAllText(SyntheticWorldLayout.DatabaseMetadata(other)));
    }

    [FactRequiringWorld]
    public void Database_split_has_the_mp16pro_schema_and_its_images()
    {
        var rows = SharedWorld.ReadCsv(SyntheticWorldLayout.DatabaseMetadata(World), out var header);
        Assert.Equal(["IMG_ID", "LAT", "LON", "neighbourhood", "city", "county", "state", "region", "country", "continent"], header);
        Assert.Equal(SharedWorld.Tiny.DatabaseCount, rows.Count);
        foreach (var r in rows)
        {
            var lat = double.Parse(r["LAT"], CultureInfo.InvariantCulture);
            var lon = double.Parse(r["LON"], CultureInfo.InvariantCulture);
            Assert.InRange(lat, -90, 90);
            Assert.InRange(lon, -180, 180);
            var image = Path.Combine(SyntheticWorldLayout.DatabaseImages(World), r["IMG_ID"]);
            var bytes = File.ReadAllBytes(image);
            Assert.True(bytes is [0xFF, 0xD8, ..] && bytes[^2] == 0xFF && bytes[^1] == 0xD9, $"{r["IMG_ID"]} is not a complete JPEG");
            // The text fields are the reverse geocoding of the written point.
            var place = SharedWorld.Geocoder.Lookup(lat, lon).Place;
            Assert.Equal(place.City ?? "", r["city"]);
            Assert.Equal(place.Country ?? "", r["country"]);
            Assert.Equal(place.Continent ?? "", r["continent"]);
        }
        Assert.Contains(rows, r => r["city"].Length > 0);
    }

    [FactRequiringWorld]
    public void Query_split_has_the_im2gps3k_schema_and_its_images()
    {
        var rows = SharedWorld.ReadCsv(SyntheticWorldLayout.QueryMetadata(World), out var header);
        Assert.Equal(["IMG_ID", "LAT", "LON"], header);
        Assert.Equal(SharedWorld.Tiny.QueryCount, rows.Count);
        foreach (var r in rows)
            Assert.True(File.Exists(Path.Combine(SyntheticWorldLayout.QueryImages(World), r["IMG_ID"])));
        Assert.Equal(rows.Count, Directory.GetFiles(SyntheticWorldLayout.QueryImages(World)).Length);
    }

    [FactRequiringWorld]
    public void Splits_are_disjoint_in_ids_and_positions()
    {
        var db = SharedWorld.ReadCsv(SyntheticWorldLayout.DatabaseMetadata(World), out _);
        var q = SharedWorld.ReadCsv(SyntheticWorldLayout.QueryMetadata(World), out _);
        Assert.Empty(db.Select(r => r["IMG_ID"]).Intersect(q.Select(r => r["IMG_ID"])));
        Assert.Empty(db.Select(r => r["LAT"] + "," + r["LON"]).Intersect(q.Select(r => r["LAT"] + "," + r["LON"])));
        Assert.Equal(db.Count, db.Select(r => r["IMG_ID"]).Distinct().Count());
    }

    [FactRequiringWorld]
    public void No_photo_is_on_open_water_by_default()
    {
        var db = SharedWorld.ReadCsv(SyntheticWorldLayout.DatabaseMetadata(World), out _);
        var q = SharedWorld.ReadCsv(SyntheticWorldLayout.QueryMetadata(World), out _);
        foreach (var r in db.Concat(q))
        {
            var p = new GeoPoint(double.Parse(r["LAT"], CultureInfo.InvariantCulture), double.Parse(r["LON"], CultureInfo.InvariantCulture));
            Assert.False(SharedWorld.Geocoder.Lookup(p).IsOcean, $"{r["IMG_ID"]} at {p} is on open water");
        }
    }

    [FactRequiringWorld]
    public void Existing_output_is_refused_and_no_partial_folder_is_left()
    {
        var parent = Path.GetDirectoryName(World)!;
        var e = Assert.Throws<SyntheticWorldException>(() => new SyntheticWorldGenerator(SharedWorld.Geocoder).Generate(World, SharedWorld.Tiny));
        Assert.Contains("already exists", e.Message);
        Assert.DoesNotContain(Directory.GetDirectories(parent), d => Path.GetFileName(d).Contains(".partial", StringComparison.Ordinal));
    }

    [FactRequiringWorld]
    public void Cancelled_run_leaves_nothing_behind()
    {
        var dir = Path.Combine(Path.GetTempPath(), "g3-synth-cancel-" + Guid.NewGuid().ToString("N"));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new SyntheticWorldGenerator(SharedWorld.Geocoder).Generate(Path.Combine(dir, "world"), SharedWorld.Tiny, null, cts.Token));
        Assert.False(Directory.Exists(Path.Combine(dir, "world")));
        Assert.Empty(Directory.Exists(dir) ? Directory.GetFileSystemEntries(dir) : []);
        if (Directory.Exists(dir)) Directory.Delete(dir);
    }

    [Fact]
    public void Invalid_settings_are_rejected_with_the_option_named()
    {
        Assert.Contains("--database", Assert.Throws<SyntheticWorldException>(() => new SyntheticWorldOptions { DatabaseCount = 0 }.Validate()).Message);
        Assert.Contains("--size", Assert.Throws<SyntheticWorldException>(() => new SyntheticWorldOptions { ImageSize = 5 }.Validate()).Message);
        Assert.Contains("indoor", Assert.Throws<SyntheticWorldException>(() => new SyntheticWorldOptions { IndoorFraction = 1.5 }.Validate()).Message);
    }

    private static Dictionary<string, byte[]> Files(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllBytes);
}
