using G3.Alignment.Onnx;
using Xunit.Abstractions;

namespace G3.Alignment.Tests.Onnx;

/// <summary>
/// The default build takes the CPU package, which has no CUDA provider. "cuda" must fail at start saying
/// so; "auto" must run on the CPU and say why. (In a -p:G3Gpu=true build on a machine without a GPU the
/// same two hold, failing later, when ORT cannot load CUDA.)
/// </summary>
public sealed class ExecutionProviderTests(ITestOutputHelper output)
{
    [FactRequiringNoCuda]
    public void Cuda_without_a_usable_cuda_build_fails_with_a_clear_error()
    {
        var e = Assert.Throws<OnnxRuntimeException>(() =>
            OnnxSession.Open(OnnxFixtures.LocationModel, new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cuda }));
        output.WriteLine(e.Message);

        Assert.Contains("'cuda'", e.Message);
        Assert.Contains("CUDA", e.Message);
    }

    [FactRequiringNoCuda]
    public void Auto_falls_back_to_the_cpu_and_says_why()
    {
        using var session = OnnxSession.Open(OnnxFixtures.LocationModel, new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Auto });
        output.WriteLine(session.ExecutionProviderDescription);

        Assert.Equal("CPU", session.ExecutionProvider);
        Assert.StartsWith("CPU (auto: ", session.ExecutionProviderDescription);
    }

    [Fact]
    public void Cpu_with_thread_and_optimisation_options_runs()
    {
        var options = new OnnxSessionOptions
        {
            ExecutionProvider = OnnxExecutionProvider.Cpu,
            IntraOpThreads = 1,
            InterOpThreads = 1,
            GraphOptimization = OnnxGraphOptimization.Disabled,
        };
        using var session = OnnxSession.Open(OnnxFixtures.LocationModel, options);

        var result = session.Run(new Dictionary<string, FloatTensor> { ["coords"] = new(new float[] { 0.1f, 0.2f }, 1, 2) }, ["embedding"]);

        Assert.Equal("CPU (requested)", session.ExecutionProviderDescription);
        Assert.Equal([1L, 64L], result[0].Shape);
    }

    [Theory]
    [InlineData("cpu", OnnxExecutionProvider.Cpu)]
    [InlineData(" CUDA ", OnnxExecutionProvider.Cuda)]
    [InlineData("Auto", OnnxExecutionProvider.Auto)]
    public void Provider_names_parse(string text, OnnxExecutionProvider expected) =>
        Assert.Equal(expected, OnnxSessionOptions.ParseProvider(text));

    [Fact]
    public void Unknown_provider_name_is_rejected() =>
        Assert.Contains("not one of cpu, cuda, auto", Assert.Throws<ArgumentException>(() => OnnxSessionOptions.ParseProvider("tpu")).Message);

    [Fact]
    public void Negative_thread_count_is_rejected_before_loading_anything() =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            OnnxSession.Open(OnnxFixtures.LocationModel, new OnnxSessionOptions { IntraOpThreads = -1 }));
}
