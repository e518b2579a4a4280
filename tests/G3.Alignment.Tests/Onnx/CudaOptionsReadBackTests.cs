using G3.Alignment.Onnx;
using Xunit.Abstractions;

namespace G3.Alignment.Tests.Onnx;

/// <summary>
/// TF32 as ONNX Runtime holds it: the CUDA provider's options string (<c>OrtCUDAProviderOptions.GetOptions()</c>)
/// read back from the object each session was given. The CUDA facts need the CUDA provider library and skip,
/// with the reason, elsewhere; the parser of ORT's string is checked everywhere.
/// </summary>
public sealed class CudaOptionsReadBackTests(ITestOutputHelper output)
{
    [FactRequiringCuda]
    public void Tf32_off_and_on_reach_onnx_runtime_as_requested()
    {
        using var off = OnnxSession.Open(OnnxFixtures.LocationModel, new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cuda });
        using var on = OnnxSession.Open(OnnxFixtures.LocationModel, new OnnxSessionOptions
        {
            ExecutionProvider = OnnxExecutionProvider.Cuda,
            UseTf32 = true,
            CudnnConvAlgoSearch = CudnnConvAlgoSearch.Heuristic,
        });
        output.WriteLine(off.CudaProviderOptions);
        output.WriteLine(on.CudaProviderOptions);

        var offKeys = CudaOptionsReadBack.Parse(off.CudaProviderOptions!);
        var onKeys = CudaOptionsReadBack.Parse(on.CudaProviderOptions!);
        Assert.Equal("0", offKeys["use_tf32"]);
        Assert.Equal("1", onKeys["use_tf32"]);
        Assert.Equal("0", offKeys["device_id"]);
        Assert.Equal("HEURISTIC", onKeys["cudnn_conv_algo_search"]);
        Assert.False(off.Tf32Enabled);
        Assert.True(on.Tf32Enabled);
    }

    [Fact]
    public void A_cpu_session_has_no_cuda_options_and_no_tf32()
    {
        using var session = OnnxSession.Open(OnnxFixtures.LocationModel, new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cpu });

        Assert.Null(session.CudaProviderOptions);
        Assert.False(session.Tf32Enabled);
    }

    [Fact]
    public void Orts_options_string_is_read_key_by_key()
    {
        var keys = CudaOptionsReadBack.Parse("device_id=1;has_user_compute_stream=0;gpu_mem_limit=18446744073709551615;use_tf32=0;cudnn_conv_algo_search=EXHAUSTIVE");

        Assert.Equal("1", keys["device_id"]);
        Assert.Equal("18446744073709551615", keys["gpu_mem_limit"]);
        Assert.Equal("EXHAUSTIVE", keys["cudnn_conv_algo_search"]);
        Assert.False(CudaOptionsReadBack.Tf32("device_id=0;use_tf32=0"));
        Assert.True(CudaOptionsReadBack.Tf32("use_tf32=1;device_id=0"));
    }

    [Theory]
    [InlineData("device_id=0;gpu_mem_limit=5", "do not say whether TF32 is on (use_tf32=absent")]
    [InlineData("use_tf32=yes", "use_tf32=yes")]
    [InlineData("use_tf32=0;garbage", "malformed entry 'garbage'")]
    [InlineData("use_tf32=0;use_tf32=1", "names 'use_tf32' twice")]
    public void An_options_string_that_does_not_say_tf32_clearly_is_an_error(string options, string expected) =>
        Assert.Contains(expected, Assert.Throws<OnnxRuntimeException>(() => CudaOptionsReadBack.Tf32(options)).Message);
}
