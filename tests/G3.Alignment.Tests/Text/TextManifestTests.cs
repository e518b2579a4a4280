using System.Text.Json.Nodes;
using G3.Alignment.Models;
using G3.Alignment.Text;

namespace G3.Alignment.Tests.Text;

/// <summary>
/// The manifest's optional text tower: the bundled model declares one that fits its image and location
/// models, every mistake in the section is reported by name at load, and opening the ONNX file checks it
/// against the manifest (int64 ids of the declared context, both outputs).
/// </summary>
public sealed class TextManifestTests : IDisposable
{
    private static readonly string BundledDir = TestPaths.InRepo("models", "g3-mini");
    private readonly string _dir = Directory.CreateTempSubdirectory("g3-text-manifest").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    /// <summary>The bundled model copied to a temporary folder with its manifest changed by <paramref name="edit"/>.</summary>
    private string BundledWith(Action<JsonObject> edit)
    {
        foreach (var f in Directory.GetFiles(BundledDir)) File.Copy(f, Path.Combine(_dir, Path.GetFileName(f)), overwrite: true);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(BundledDir, "manifest.json")))!.AsObject();
        edit(manifest);
        var path = Path.Combine(_dir, "manifest.json");
        File.WriteAllText(path, manifest.ToJsonString());
        return path;
    }

    private static JsonObject Text(JsonObject manifest) => manifest["text"]!.AsObject();

    [Fact]
    public void The_bundled_model_declares_a_text_tower_in_its_image_and_location_spaces()
    {
        var manifest = ModelManifestLoader.Load(Path.Combine(BundledDir, "manifest.json"));
        var text = manifest.RequireText();

        Assert.Equal(manifest.RequireImage().Retrieval.Dimension, text.Retrieval.Dimension);
        Assert.Equal(manifest.RequireLocation().Dimension, text.Gps.Dimension);
        Assert.Equal(77, text.ContextLength);
        Assert.True(File.Exists(text.ModelPath) && File.Exists(text.Tokenizer.VocabPath) && File.Exists(text.Tokenizer.MergesPath));
        Assert.True(text.LogitScale > 0);
    }

    [Fact]
    public void A_manifest_without_a_text_section_loads_and_says_so_when_text_is_needed()
    {
        var path = BundledWith(m => m.Remove("text"));
        var manifest = ModelManifestLoader.Load(path);

        Assert.Null(manifest.Text);
        Assert.Contains("no text model", Assert.Throws<ModelManifestException>(manifest.RequireText).Message);
    }

    [Theory]
    [InlineData("tokenizer.vocab", "missing.json", "text.tokenizer.vocab 'missing.json' does not exist")]
    [InlineData("tokenizer.merges", null, "text.tokenizer.merges is required")]
    [InlineData("tokenizer.kind", "wordpiece", "text.tokenizer.kind 'wordpiece' is not supported")]
    [InlineData("file", "nope.onnx", "text.file 'nope.onnx' does not exist")]
    [InlineData("contextLength", "2", "text.contextLength must be 3..")]
    [InlineData("retrieval.dim", "64", "text.retrieval.dim (64) must equal image.retrieval.dim")]
    [InlineData("gps.dim", "32", "text.gps.dim (32) must equal location.dim")]
    [InlineData("gps.output", "text_embedding", "text.retrieval and text.gps name the same output")]
    [InlineData("logitScale", "-1", "text.logitScale must be a positive number")]
    [InlineData("tokeniser", "x", "Tokeniser")]
    public void Each_mistake_in_the_text_section_is_reported_by_name(string field, string? value, string expected)
    {
        var path = BundledWith(m =>
        {
            var node = Text(m);
            var parts = field.Split('.');
            for (var i = 0; i < parts.Length - 1; i++) node = node[parts[i]]!.AsObject();
            var key = parts[^1];
            if (value is null) node.Remove(key);
            else node[key] = int.TryParse(value, out var n) ? JsonValue.Create(n) : JsonValue.Create(value);
        });

        var e = Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(path));
        Assert.Contains(expected, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_text_tower_needs_an_image_and_a_location_model()
    {
        var path = BundledWith(m => { m.Remove("image"); m.Remove("preprocessing"); });

        var e = Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(path));
        Assert.Contains("text needs both an image model", e.Message);
    }

    [Fact]
    public void Opening_checks_the_ONNX_file_against_the_manifest()
    {
        var wrongContext = BundledWith(m => Text(m)["contextLength"] = 64);
        var e = Assert.Throws<ModelManifestException>(() => new OnnxTextEncoder(ModelManifestLoader.Load(wrongContext)));
        Assert.Contains("text model input 'input_ids' has shape [-1,77]; manifest says [-1,64]", e.Message);

        var notText = BundledWith(m => { Text(m)["file"] = "image.onnx"; Text(m)["input"] = "pixels"; });
        e = Assert.Throws<ModelManifestException>(() => new OnnxTextEncoder(ModelManifestLoader.Load(notText)));
        Assert.Contains("int64 token ids expected", e.Message);
    }

    [Fact]
    public async Task The_bundled_text_tower_gives_unit_vectors_and_tells_texts_apart()
    {
        using var encoder = new OnnxTextEncoder(ModelManifestLoader.Load(Path.Combine(BundledDir, "manifest.json")));

        var a = await encoder.EncodeAsync("A street photo in London, United Kingdom.", default);
        var b = await encoder.EncodeAsync("A town with sandy desert ground and sparse shrubs.", default);

        Assert.Equal(1.0, Math.Sqrt(a.Retrieval.Sum(x => (double)x * x)), 4);
        Assert.Equal(1.0, Math.Sqrt(a.Gps.Sum(x => (double)x * x)), 4);
        Assert.True(a.Tokens > 2);
        Assert.Equal(0, a.TruncatedTokens);
        var cosine = a.Retrieval.Zip(b.Retrieval, (x, y) => (double)x * y).Sum();
        Assert.True(cosine < 0.99, $"two unrelated descriptions embed almost the same (cosine {cosine})");
    }
}
