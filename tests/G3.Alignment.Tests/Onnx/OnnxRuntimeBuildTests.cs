using G3.Alignment.Onnx;
using Xunit.Abstractions;

namespace G3.Alignment.Tests.Onnx;

/// <summary>The ONNX Runtime native library comes from the NuGet package: it loads with no bootstrap step and says what it offers.</summary>
public sealed class OnnxRuntimeBuildTests(ITestOutputHelper output)
{
    [Fact]
    public void The_package_library_loads_and_reports_version_and_providers()
    {
        output.WriteLine(OnnxRuntimeBuild.Describe());

        Assert.Equal("1.31.0", OnnxRuntimeBuild.Version);
        Assert.Contains("CPUExecutionProvider", OnnxRuntimeBuild.AvailableProviders);
        Assert.Contains(OnnxRuntimeBuild.NativePackage, OnnxRuntimeBuild.Describe());
    }

    [Fact]
    public void Cuda_reason_matches_the_providers_of_the_build()
    {
        var hasCuda = OnnxRuntimeBuild.AvailableProviders.Contains("CUDAExecutionProvider");
        output.WriteLine(OnnxRuntimeBuild.CudaUnavailableReason ?? "(CUDA provider present)");

        if (hasCuda)
            Assert.Null(OnnxRuntimeBuild.CudaUnavailableReason);
        else
            Assert.Contains("-p:G3Gpu=true", OnnxRuntimeBuild.CudaUnavailableReason);
    }
}
