using G3.Alignment.Onnx;

namespace G3.GpuCheck;

/// <summary>Whether CUDA sessions can be made here, asked once: the build first, then a real CUDA session on the given model.</summary>
internal static class CudaProbe
{
    /// <summary>Null when a CUDA session opens; else why not, in ONNX Runtime's or the build's words.</summary>
    public static string? WhyNot(string manifest)
    {
        if (OnnxRuntimeBuild.CudaUnavailableReason is { } reason) return reason;
        try
        {
            using var probe = OnnxLocationEncoder.Open(manifest, new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cuda });
            return null;
        }
        catch (OnnxRuntimeException e)
        {
            return e.Message;
        }
    }
}
