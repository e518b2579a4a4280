using G3.Alignment.Models;
using G3.Alignment.Onnx;

namespace G3.Alignment.Tests.Onnx;

/// <summary>
/// The per-model CUDA provider options: what ORT is told, what is refused before anything loads, and
/// the TF32 rule (location encoders off by default; on only where the manifest allows it).
/// </summary>
public sealed class ProviderOptionsTests
{
    [Fact]
    public void Cuda_options_are_passed_as_ort_keys_with_tf32_explicitly_off_by_default()
    {
        var keys = new OnnxSessionOptions { CudaDeviceId = 1 }.CudaProviderOptions();

        Assert.Equal("1", keys["device_id"]);
        Assert.Equal("0", keys["use_tf32"]); // ORT's own default is on: it must be written out
        Assert.Equal("EXHAUSTIVE", keys["cudnn_conv_algo_search"]);
        Assert.False(keys.ContainsKey("gpu_mem_limit"));
    }

    [Fact]
    public void Memory_limit_tf32_and_conv_search_reach_ort()
    {
        var keys = new OnnxSessionOptions
        {
            GpuMemoryLimitBytes = 8L << 30,
            UseTf32 = true,
            CudnnConvAlgoSearch = CudnnConvAlgoSearch.Heuristic,
        }.CudaProviderOptions();

        Assert.Equal("8589934592", keys["gpu_mem_limit"]);
        Assert.Equal("1", keys["use_tf32"]);
        Assert.Equal("HEURISTIC", keys["cudnn_conv_algo_search"]);
    }

    [Fact]
    public void Every_bad_option_is_reported()
    {
        var problems = new OnnxSessionOptions { CudaDeviceId = -1, GpuMemoryLimitBytes = -5, InterOpThreads = -2 }.Problems();

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("CUDA device id", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("GPU memory limit", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("inter-op threads", StringComparison.Ordinal));
        Assert.Empty(new OnnxSessionOptions().Problems());
    }

    [Fact]
    public void A_negative_memory_limit_is_refused_before_loading_anything() =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            OnnxSession.Open(OnnxFixtures.LocationModel, new OnnxSessionOptions { GpuMemoryLimitBytes = -1 }));

    [Theory]
    [InlineData("exhaustive", CudnnConvAlgoSearch.Exhaustive)]
    [InlineData(" Heuristic", CudnnConvAlgoSearch.Heuristic)]
    [InlineData("DEFAULT", CudnnConvAlgoSearch.Default)]
    public void Conv_search_names_parse(string text, CudnnConvAlgoSearch expected) =>
        Assert.Equal(expected, OnnxSessionOptions.ParseConvAlgoSearch(text));

    [Fact]
    public void Unknown_conv_search_name_is_rejected() =>
        Assert.Contains("not one of exhaustive, heuristic, default",
            Assert.Throws<ArgumentException>(() => OnnxSessionOptions.ParseConvAlgoSearch("fastest")).Message);

    [Fact]
    public void Location_encoders_run_with_tf32_off_unless_asked()
    {
        using var encoder = OnnxLocationEncoder.Open(OnnxFixtures.MercatorManifest,
            new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cpu });

        Assert.False(encoder.Spec.AllowTf32);
        Assert.False(encoder.Session.Tf32Enabled);
    }

    [Fact]
    public void Tf32_for_a_model_whose_manifest_does_not_allow_it_is_refused()
    {
        var e = Assert.Throws<OnnxRuntimeException>(() => OnnxLocationEncoder.Open(OnnxFixtures.MercatorManifest,
            new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cpu, UseTf32 = true }));

        Assert.Contains("TF32 was requested for the location model", e.Message);
        Assert.Contains("\"allowTf32\": true", e.Message);
    }

    [Fact]
    public void A_manifest_may_allow_tf32_for_its_image_model()
    {
        var manifest = OnnxFixtures.EditedManifest(OnnxFixtures.ImageManifest, m => m["image"]!["allowTf32"] = true);

        var spec = ModelManifestLoader.Load(manifest).RequireImage();

        Assert.True(spec.AllowTf32);
        Assert.Equal(ModelPrecision.Float32, spec.Precision);
    }

    [Fact]
    public void A_manifest_that_claims_float16_for_a_float32_file_is_refused_at_load()
    {
        var manifest = OnnxFixtures.EditedManifest(OnnxFixtures.ImageManifest, m => m["image"]!["precision"] = "float16");

        var e = Assert.Throws<ModelManifestException>(() => OnnxImageModel.Open(manifest,
            new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cpu }));

        Assert.Contains("image.precision is float16 but the ONNX file's metadata says g3.precision=float32", e.Message);
    }

    [Fact]
    public void An_unknown_precision_is_a_manifest_error()
    {
        var manifest = OnnxFixtures.EditedManifest(OnnxFixtures.ImageManifest, m => m["image"]!["precision"] = "int8");

        Assert.Contains("image.precision 'int8' is not one of float32, float16",
            Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(manifest)).Message);
    }
}
