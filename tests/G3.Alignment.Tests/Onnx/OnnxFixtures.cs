using System.Text.Json;
using System.Text.Json.Nodes;

namespace G3.Alignment.Tests.Onnx;

/// <summary>Paths to the committed ONNX fixtures and temp-manifest helpers. ONNX Runtime itself comes from its NuGet package.</summary>
internal static class OnnxFixtures
{
    public static string LocationDir => TestPaths.Fixture("onnx", "location-fixture");

    public static string ImageDir => TestPaths.Fixture("onnx", "image-fixture");

    public static string LocationModel => Path.Combine(LocationDir, "location.onnx");

    public static string ImageModel => Path.Combine(ImageDir, "image.onnx");

    public static string MercatorManifest => Path.Combine(LocationDir, "manifest.mercator.json");

    public static string EqualEarthManifest => Path.Combine(LocationDir, "manifest.equal-earth.json");

    public static string ImageManifest => Path.Combine(ImageDir, "manifest.json");

    /// <summary>
    /// Writes a copy of <paramref name="manifest"/> into a fresh temp folder after <paramref name="edit"/>,
    /// with model file names made absolute so they still point at the fixtures.
    /// </summary>
    public static string EditedManifest(string manifest, Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(File.ReadAllText(manifest))!.AsObject();
        var folder = Path.GetDirectoryName(manifest)!;
        foreach (var section in new[] { "image", "location" })
            if (json[section] is JsonObject s && s["file"] is JsonValue f)
                s["file"] = Path.Combine(folder, f.GetValue<string>());
        if (json["modelCard"] is JsonValue card)
            json["modelCard"] = Path.Combine(folder, card.GetValue<string>());
        edit(json);
        return WriteTemp(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public static string WriteTemp(string text, string name = "manifest.json")
    {
        var dir = Directory.CreateTempSubdirectory("g3-onnx-test-").FullName;
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The fixture script's deterministic_pixels: ((7n + 13c + 31h + 17w) mod 255) / 127.5 − 1.</summary>
    public static float[] DeterministicPixels(int batch, int size = 224)
    {
        var data = new float[batch * 3 * size * size];
        var k = 0;
        for (var n = 0; n < batch; n++)
            for (var c = 0; c < 3; c++)
                for (var h = 0; h < size; h++)
                    for (var w = 0; w < size; w++)
                        data[k++] = (float)((7 * n + 13 * c + 31 * h + 17 * w) % 255 / 127.5 - 1.0);
        return data;
    }

    public static float[][] ReadRows(JsonElement rows) =>
        [.. rows.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray())];

    public static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (var i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        return max;
    }
}
