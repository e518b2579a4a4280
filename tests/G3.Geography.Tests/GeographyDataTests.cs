namespace G3.Geography.Tests;

public sealed class GeographyDataTests
{
    [Fact]
    public void Missing_folder_fails_with_the_fix_in_the_message()
    {
        var dir = Path.Combine(Path.GetTempPath(), "g3-geodata-missing-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<GeographyDataException>(() => GeographyData.Load(dir));
        Assert.Contains("bootstrap.sh", e.Message);
        Assert.Contains("cities.pbf", e.Message);
    }

    [Fact]
    public void Corrupt_file_fails_with_a_typed_error_naming_it()
    {
        var dir = Directory.CreateTempSubdirectory("g3-geodata-bad-").FullName;
        try
        {
            foreach (var f in GeographyData.RequiredFiles) File.WriteAllText(Path.Combine(dir, f), "[]");
            File.WriteAllText(Path.Combine(dir, "borders.json"), "{ not json");
            var e = Assert.Throws<GeographyDataException>(() => GeographyData.Load(dir));
            Assert.Contains("borders.json", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Truncated_city_file_fails_with_a_typed_error()
    {
        var dir = Directory.CreateTempSubdirectory("g3-geodata-pbf-").FullName;
        try
        {
            foreach (var f in GeographyData.RequiredFiles) File.WriteAllText(Path.Combine(dir, f), "[]");
            File.WriteAllText(Path.Combine(dir, "borders.json"), """{"type":"FeatureCollection","features":[]}""");
            File.WriteAllText(Path.Combine(dir, "land-50m.json"),
                """{"type":"Topology","transform":{"scale":[1,1],"translate":[0,0]},"arcs":[],"objects":{"land":{"type":"GeometryCollection","geometries":[]}}}""");
            File.WriteAllBytes(Path.Combine(dir, "cities.pbf"), [0x20, 0x08, 0x02]); // claims 32 bytes, has 2
            var e = Assert.Throws<GeographyDataException>(() => GeographyData.Load(dir));
            Assert.Contains("cities.pbf", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
