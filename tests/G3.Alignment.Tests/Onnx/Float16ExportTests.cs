using G3.Alignment.Models;
using G3.Alignment.Onnx;

namespace G3.Alignment.Tests.Onnx;

/// <summary>
/// The float16 copy of the image fixture (tools/export/export_float16.py): it loads with its manifest
/// through the service's own path, keeps float32 inputs and outputs, carries its precision in the file's
/// metadata, and agrees with the float32 model on the CPU within 1e-3 (the script measured 9.3e-5).
/// </summary>
public sealed class Float16ExportTests
{
    private static readonly OnnxSessionOptions Cpu = new() { ExecutionProvider = OnnxExecutionProvider.Cpu };
    private static string Fp16Manifest => Path.Combine(OnnxFixtures.ImageDir, "manifest.fp16.json");

    [Fact]
    public async Task Float16_export_loads_and_agrees_with_float32_on_the_cpu()
    {
        using var fp32 = OnnxImageModel.Open(OnnxFixtures.ImageManifest, Cpu);
        using var fp16 = OnnxImageModel.Open(Fp16Manifest, Cpu);
        var pixels = OnnxFixtures.DeterministicPixels(4);

        var a = await fp32.EncodeAsync(pixels, 4, CancellationToken.None);
        var b = await fp16.EncodeAsync(pixels, 4, CancellationToken.None);

        Assert.Equal(ModelPrecision.Float16, fp16.Spec.Precision);
        Assert.Equal("float16", fp16.Session.CustomMetadata[ManifestModelCheck.PrecisionMetadataKey]);
        Assert.Equal(OnnxElementType.Float, fp16.Session.Input("pixels").ElementType);
        for (var i = 0; i < 4; i++)
        {
            Assert.True(OnnxFixtures.MaxAbsDiff(a[i].Retrieval, b[i].Retrieval) < 1e-3, $"retrieval row {i}");
            Assert.True(OnnxFixtures.MaxAbsDiff(a[i].Gps, b[i].Gps) < 1e-3, $"gps row {i}");
            Assert.NotEqual(a[i].Gps, b[i].Gps); // it really is a different (half-precision) model
        }
    }

    [Fact]
    public void A_float32_manifest_pointing_at_the_float16_file_is_refused()
    {
        var manifest = OnnxFixtures.EditedManifest(OnnxFixtures.ImageManifest, m => m["image"]!["file"] = Path.Combine(OnnxFixtures.ImageDir, "image.fp16.onnx"));

        var e = Assert.Throws<ModelManifestException>(() => OnnxImageModel.Open(manifest, Cpu));

        Assert.Contains("image.precision is float32 but the ONNX file's metadata says g3.precision=float16", e.Message);
    }
}
