using System.Security.Cryptography;
using G3.Core.Geo;

namespace G3.Synthetic.Tests;

/// <summary>The multi-view query split: several photos of one landmark, deterministic, and added without touching the world.</summary>
public class MultiViewSplitTests
{
    private static Dictionary<string, string> Hashes(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    private static string CopyOfTinyWorld()
    {
        var copy = Path.Combine(Path.GetTempPath(), "g3-mv-test-" + Guid.NewGuid().ToString("N"));
        foreach (var file in Directory.EnumerateFiles(SharedWorld.World, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(SharedWorld.World, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }

    [FactRequiringWorld]
    public void Adding_the_split_leaves_the_world_untouched_and_the_same_seed_gives_the_same_bytes()
    {
        string a = CopyOfTinyWorld(), b = CopyOfTinyWorld();
        try
        {
            var before = Hashes(a);
            var generator = new SyntheticWorldGenerator(SharedWorld.Geocoder);
            var options = new MultiViewOptions(Places: 5, Views: 3);
            generator.GenerateMultiView(a, SharedWorld.Tiny.Seed, SharedWorld.Tiny.ImageSize, options, parallelism: 2);
            generator.GenerateMultiView(b, SharedWorld.Tiny.Seed, SharedWorld.Tiny.ImageSize, options, parallelism: 1);

            var after = Hashes(a);
            foreach (var (file, hash) in before) Assert.Equal(hash, after[file]);
            var added = after.Keys.Except(before.Keys).Order().ToList();
            Assert.Equal(15 + 3, added.Count); // 5 places × 3 photos, metadata.csv, views.csv, multiview.json
            Assert.All(added, f => Assert.StartsWith("multiview", f, StringComparison.Ordinal));
            var other = Hashes(b);
            Assert.All(added, f => Assert.Equal(after[f], other[f]));

            Assert.Throws<SyntheticWorldException>(() => generator.GenerateMultiView(a, 42, 64, options));
        }
        finally
        {
            Directory.Delete(a, true);
            Directory.Delete(b, true);
        }
    }

    [FactRequiringWorld]
    public void Every_place_is_one_landmark_photographed_from_spots_under_a_kilometre_from_it()
    {
        var world = CopyOfTinyWorld();
        try
        {
            var places = new SyntheticWorldGenerator(SharedWorld.Geocoder).GenerateMultiView(world, 7, 64, new MultiViewOptions(Places: 6, Views: 4), parallelism: 2);
            Assert.Equal(6, places.Count);
            var views = SharedWorld.ReadCsv(Path.Combine(world, "multiview", "views.csv"), out var header);
            Assert.Equal(["IMG_ID", "VIEWS", "landmark"], header);
            foreach (var (place, row) in places.Zip(views))
            {
                Assert.Equal(4, place.Views.Count);
                Assert.All(place.Views, v => Assert.Equal(place.LandmarkId, v.LandmarkId));
                Assert.All(place.Views, v => Assert.InRange(GreatCircle.DistanceKm(new GeoPoint(v.Latitude, v.Longitude), new GeoPoint(place.Latitude, place.Longitude)), 0, 0.4));
                Assert.Equal(string.Join(';', place.Views.Select(v => v.ImageId)), row["VIEWS"]);
                Assert.All(place.Views, v => Assert.True(File.Exists(Path.Combine(world, "multiview", "images", v.ImageId))));
                // Different photos, not one photo four times.
                Assert.Equal(4, place.Views.Select(v => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(world, "multiview", "images", v.ImageId))))).Distinct().Count());
            }
        }
        finally
        {
            Directory.Delete(world, true);
        }
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(5, 1)]
    [InlineData(5, 9)]
    public void Out_of_range_settings_are_refused(int places, int views) =>
        Assert.Throws<SyntheticWorldException>(() => new MultiViewOptions(places, views).Validate());
}
