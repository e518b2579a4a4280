using G3.Synthetic.Describing;
using G3.Synthetic.Jpeg;
using G3.Synthetic.Rendering;

namespace G3.Synthetic.Tests;

/// <summary>
/// Text descriptions of synthetic photos: deterministic, drawn from the same scene as the photo, written
/// for an existing world without changing it, and describing never changes what the generator renders.
/// </summary>
public sealed class DescriptionTests
{
    [FactRequiringWorld]
    public void Rendering_is_unchanged_the_seed_1_world_first_photo_has_its_old_bytes()
    {
        // The SHA-256 of the seed-1 world's first database photo (db_0000000.jpg) as generator g3-synth/2
        // wrote it before descriptions existed; sampling the scene apart from rendering must not change a byte.
        const string BeforeDescriptions = "2a27bf20576ae01c3d286f03543adef1431f99bb16379bfc354687e1c65ef351";
        var generator = new SyntheticWorldGenerator(SharedWorld.Geocoder);
        var options = new SyntheticWorldOptions { Seed = 1 };
        using var encoder = new JpegEncoder();
        var record = generator.RenderPhoto(1, 1, 0, "db_0000000.jpg", options, new Canvas(options.ImageSize), encoder, out var jpeg);

        Assert.Equal(BeforeDescriptions, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(jpeg)));
        var (described, text) = generator.DescribePhoto(1, 1, 0, "db_0000000.jpg", options);
        Assert.Equal(record, described);
        Assert.Equal(text, generator.DescribePhoto(1, 1, 0, "db_0000000.jpg", options).Description);
    }

    [FactRequiringWorld]
    public void A_world_is_described_into_another_folder_matching_its_metadata_row_by_row()
    {
        var world = SharedWorld.World;
        var before = Directory.GetFiles(world, "*", SearchOption.AllDirectories).Order().ToList();
        var output = Directory.CreateTempSubdirectory("g3-describe").FullName;
        try
        {
            var summary = WorldDescriptions.Write(new SyntheticWorldGenerator(SharedWorld.Geocoder), world, output);

            Assert.Equal((SharedWorld.Tiny.DatabaseCount, SharedWorld.Tiny.QueryCount), (summary.DatabaseCount, summary.QueryCount));
            Assert.Equal(before, Directory.GetFiles(world, "*", SearchOption.AllDirectories).Order().ToList());
            var rows = SharedWorld.ReadCsv(summary.DatabaseFile, out var header);
            Assert.Equal(["IMG_ID", "LAT", "LON", "description"], header);
            var metadata = SharedWorld.ReadCsv(Path.Combine(world, "mp16pro", "metadata.csv"), out _);
            for (var i = 0; i < rows.Count; i++)
            {
                Assert.Equal((metadata[i]["IMG_ID"], metadata[i]["LAT"], metadata[i]["LON"]), (rows[i]["IMG_ID"], rows[i]["LAT"], rows[i]["LON"]));
                Assert.False(string.IsNullOrWhiteSpace(rows[i]["description"]));
            }
            // Four of the five caption styles name the country: most descriptions carry their photo's own country.
            var named = rows.Where((r, i) => metadata[i]["country"].Length > 0)
                .Count(r => r["description"].Contains(metadata[rows.IndexOf(r)]["country"], StringComparison.Ordinal));
            Assert.True(named >= rows.Count / 2, $"only {named} of {rows.Count} descriptions name their photo's country");
            Assert.Equal(File.ReadAllText(summary.DatabaseFile), Again(world));
        }
        finally
        {
            Directory.Delete(output, true);
        }
    }

    private static string Again(string world)
    {
        var output = Directory.CreateTempSubdirectory("g3-describe-again").FullName;
        try
        {
            return File.ReadAllText(WorldDescriptions.Write(new SyntheticWorldGenerator(SharedWorld.Geocoder), world, output).DatabaseFile);
        }
        finally
        {
            Directory.Delete(output, true);
        }
    }

    [FactRequiringWorld]
    public void A_world_from_another_generator_is_refused()
    {
        var parent = Directory.CreateTempSubdirectory("g3-describe-other").FullName;
        try
        {
            var world = Path.Combine(parent, "world");
            CopyDirectory(SharedWorld.World, world);
            var metadata = Path.Combine(world, "mp16pro", "metadata.csv");
            var lines = File.ReadAllLines(metadata);
            lines[1] = lines[1].Replace(lines[1].Split(',')[1], "1.000000", StringComparison.Ordinal);
            File.WriteAllLines(metadata, lines);

            var e = Assert.Throws<SyntheticWorldException>(() =>
                WorldDescriptions.Write(new SyntheticWorldGenerator(SharedWorld.Geocoder), world, Path.Combine(parent, "out")));
            Assert.Contains("another generator version", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(parent, true);
        }
    }

    [Fact]
    public void Colours_get_plain_names()
    {
        Assert.Equal("red", ColourNames.Name(new Rgb(0.9f, 0.1f, 0.1f)));
        Assert.Equal("dark blue", ColourNames.Name(new Rgb(0.05f, 0.1f, 0.35f)));
        Assert.Equal("white", ColourNames.Name(new Rgb(0.95f, 0.95f, 0.95f)));
        Assert.Equal("grey", ColourNames.Name(new Rgb(0.6f, 0.6f, 0.62f)));
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
    }
}
