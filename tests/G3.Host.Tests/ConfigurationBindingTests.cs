using G3.Diversification.Providers;
using G3.Host.Composition;
using G3.Retrieval;
using Microsoft.Extensions.Configuration;

namespace G3.Host.Tests;

/// <summary>The documented configuration keys bind to the options the stages take.</summary>
public class ConfigurationBindingTests
{
    private static IConfiguration Config(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    [Fact]
    public void The_shipped_appsettings_bind_and_validate()
    {
        var config = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();
        var pipeline = G3Settings.Load<PipelineSettings>(config);
        Assert.Equal([0, 5, 10, 15], pipeline.ToOptions().ReferenceCounts);
        Assert.Empty(pipeline.ToOptions().Validate());
        Assert.Empty(G3Settings.Load<StoreSettings>(config).Validate());
        var lmm = config.GetSection("Lmm").Get<LmmOptions>()!;
        Assert.Equal("none", lmm.Default);
        Assert.Empty(LmmOptionsValidator.Validate(lmm));
        var model = G3Settings.Load<ModelSettings>(config);
        Assert.Equal("models/g3-mini/manifest.json", model.Manifest);
        Assert.Null(model.LocationSession().UseTf32); // the manifest decides: off unless it allows TF32
    }

    [Fact]
    public void Per_encoder_provider_options_bind_separately()
    {
        var model = G3Settings.Load<ModelSettings>(Config(new()
        {
            ["Model:ExecutionProvider"] = "cuda",
            ["Model:Image:CudaDeviceId"] = "1",
            ["Model:Image:GpuMemoryLimitMiB"] = "2048",
            ["Model:Image:Tf32"] = "true",
            ["Model:Image:CudnnConvAlgoSearch"] = "heuristic",
            ["Model:Location:Tf32"] = "false",
        }));

        var image = model.ImageSession();
        var location = model.LocationSession();
        Assert.Equal(G3.Alignment.Onnx.OnnxExecutionProvider.Cuda, image.ExecutionProvider);
        Assert.Equal(1, image.CudaDeviceId);
        Assert.Equal(2048L * 1024 * 1024, image.GpuMemoryLimitBytes);
        Assert.True(image.UseTf32);
        Assert.Equal(G3.Alignment.Onnx.CudnnConvAlgoSearch.Heuristic, image.CudnnConvAlgoSearch);
        Assert.False(location.UseTf32);
        Assert.Equal(0, location.CudaDeviceId);
    }

    [Fact]
    public void Bad_model_settings_are_all_reported_before_anything_loads()
    {
        var ex = Assert.Throws<G3.Core.Options.G3OptionsException>(() => G3Settings.Load<ModelSettings>(Config(new()
        {
            ["Model:ExecutionProvider"] = "tpu",
            ["Model:Image:CudaDeviceId"] = "-1",
            ["Model:Location:CudnnConvAlgoSearch"] = "fastest",
            ["Model:Location:GpuMemoryLimitMiB"] = "-3",
        })));

        Assert.Equal(4, ex.Errors.Count);
        Assert.Contains(ex.Errors, e => e.StartsWith("Model:ExecutionProvider", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Model:Image: CUDA device id", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Model:Location:CudnnConvAlgoSearch", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Model:Location:GpuMemoryLimitMiB", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Model:OnnxRuntimePath", "/opt/ort/libonnxruntime.so", "was removed")]
    [InlineData("Model:Image:Tf23", "true", "Tf23")]
    public void Unknown_or_removed_model_keys_are_refused(string key, string value, string expected)
    {
        var ex = Assert.Throws<G3.Core.Options.G3OptionsException>(() => G3Settings.Load<ModelSettings>(Config(new() { [key] = value })));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Providers_bind_from_keys_such_as_environment_variables_give()
    {
        var config = Config(new()
        {
            ["Lmm:Default"] = "gpt4o",
            ["Lmm:Providers:gpt4o:Kind"] = "openai",
            ["Lmm:Providers:gpt4o:Model"] = "gpt-4o",
            ["Lmm:Providers:gpt4o:ApiKey"] = "sk-from-env",
            ["Lmm:Providers:gpt4o:Fallbacks:0"] = "llava",
            ["Lmm:Providers:llava:Kind"] = "ollama",
            ["Lmm:Providers:llava:Model"] = "llava:13b",
            ["Lmm:Providers:llava:Endpoint"] = "http://127.0.0.1:11434",
            ["Lmm:Providers:llava:Resilience:Timeout"] = "00:00:45",
        });
        var lmm = config.GetSection("Lmm").Get<LmmOptions>()!;
        Assert.Empty(LmmOptionsValidator.Validate(lmm));
        Assert.Equal("sk-from-env", lmm.Providers["gpt4o"].ApiKey);
        Assert.Equal(["llava"], lmm.Providers["gpt4o"].Fallbacks);
        Assert.Equal(new Uri("http://127.0.0.1:11434"), lmm.Providers["llava"].Endpoint);
        Assert.Equal(TimeSpan.FromSeconds(45), lmm.Providers["llava"].Resilience.Timeout);
    }

    [Fact]
    public void Store_kind_switches_to_Qdrant_by_configuration_only()
    {
        var store = G3Settings.Load<StoreSettings>(Config(new()
        {
            ["Store:Kind"] = "qdrant",
            ["Store:Qdrant:Url"] = "http://127.0.0.1:6333",
            ["Store:Qdrant:Collection"] = "mp16",
        }));
        Assert.False(ReferenceStores.Parse(store.Kind) == StoreKind.Embedded);
        var opened = ReferenceStores.Open(store, G3Paths.Resolve, "g3-mini", 128, create: false);
        Assert.IsType<G3.Retrieval.Qdrant.QdrantReferenceStore>(opened);
        Assert.Equal(128, opened.Dimension);
    }

    [Fact]
    public void An_unknown_store_kind_is_refused_by_name()
    {
        var store = new StoreSettings { Kind = "faiss" };
        var ex = Assert.Throws<G3.Core.Options.G3OptionsException>(() => ReferenceStores.Open(store, G3Paths.Resolve, "m", 8, create: false));
        Assert.Contains("Store:Kind is 'faiss'", ex.Message, StringComparison.Ordinal);
    }
}
