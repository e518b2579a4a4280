using System.Text.Json;
using G3.Alignment.Onnx;

namespace G3.Alignment.Tests.Onnx;

/// <summary>The image path end to end through ONNX Runtime: the tiny fixture model reproduces PyTorch.</summary>
public sealed class ImageFixtureFidelityTests
{
    [Fact]
    public async Task Image_model_reproduces_pytorch_for_both_heads()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(OnnxFixtures.ImageDir, "reference.json")));
        var retrieval = OnnxFixtures.ReadRows(doc.RootElement.GetProperty("retrieval"));
        var gps = OnnxFixtures.ReadRows(doc.RootElement.GetProperty("gps"));
        using var model = OnnxImageModel.Open(OnnxFixtures.ImageManifest);

        var embeddings = await model.EncodeAsync(OnnxFixtures.DeterministicPixels(2), 2, CancellationToken.None);

        Assert.Equal(2, embeddings.Count);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(48, embeddings[i].Retrieval.Length);
            Assert.Equal(64, embeddings[i].Gps.Length);
            Assert.True(OnnxFixtures.MaxAbsDiff(embeddings[i].Retrieval, retrieval[i]) < 1e-4, $"retrieval row {i}");
            Assert.True(OnnxFixtures.MaxAbsDiff(embeddings[i].Gps, gps[i]) < 1e-4, $"gps row {i}");
        }
    }

    [Fact]
    public async Task Single_image_equals_its_row_in_a_batch()
    {
        using var model = OnnxImageModel.Open(OnnxFixtures.ImageManifest);
        var pixels = OnnxFixtures.DeterministicPixels(2);

        var batch = await model.EncodeAsync(pixels, 2, CancellationToken.None);
        var second = await model.EncodeAsync(pixels.AsMemory(model.ImageSize), 1, CancellationToken.None);

        Assert.True(OnnxFixtures.MaxAbsDiff(batch[1].Gps, second[0].Gps) < 1e-6);
        Assert.True(OnnxFixtures.MaxAbsDiff(batch[1].Retrieval, second[0].Retrieval) < 1e-6);
    }

    [Fact]
    public async Task Wrong_pixel_count_is_a_clear_error()
    {
        using var model = OnnxImageModel.Open(OnnxFixtures.ImageManifest);

        var e = await Assert.ThrowsAsync<ArgumentException>(() => model.EncodeAsync(new float[100], 1, CancellationToken.None));

        Assert.Contains("[3,224,224] need 150528 floats; 100 were given", e.Message);
    }
}
