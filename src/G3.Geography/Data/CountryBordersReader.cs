using System.Text.Json;

namespace G3.Geography.Data;

/// <summary>Reads country-coder's borders.json (a GeoJSON FeatureCollection of MultiPolygons).</summary>
internal static class CountryBordersReader
{
    public static List<BorderFeature> Read(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var features = new List<BorderFeature>();
        foreach (var f in doc.RootElement.GetProperty("features").EnumerateArray())
        {
            var p = f.GetProperty("properties");
            var rings = new List<double[]>();
            if (f.TryGetProperty("geometry", out var g) && g.ValueKind == JsonValueKind.Object)
            {
                var type = g.GetProperty("type").GetString();
                var coords = g.GetProperty("coordinates");
                if (type == "MultiPolygon")
                    foreach (var polygon in coords.EnumerateArray()) AddRings(polygon, rings);
                else if (type == "Polygon")
                    AddRings(coords, rings);
            }
            var groups = p.TryGetProperty("groups", out var gs) && gs.ValueKind == JsonValueKind.Array
                ? gs.EnumerateArray().Select(x => x.GetString() ?? "").ToArray()
                : [];
            features.Add(new BorderFeature(
                Str(p, "nameEn") ?? "?", Str(p, "iso1A2"), Str(p, "iso1A3"), Str(p, "country"), Str(p, "isoStatus"),
                groups, rings));
        }
        return features;
    }

    private static void AddRings(JsonElement polygon, List<double[]> rings)
    {
        foreach (var ring in polygon.EnumerateArray())
        {
            var n = ring.GetArrayLength();
            var xy = new double[n * 2];
            int i = 0;
            foreach (var pt in ring.EnumerateArray())
            {
                xy[i++] = pt[0].GetDouble();
                xy[i++] = pt[1].GetDouble();
            }
            rings.Add(xy);
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
