using G3.Alignment.Onnx;

namespace G3.Alignment.Tests.Onnx;

/// <summary>Whether this test process can run ONNX Runtime on CUDA, and if not, why (printed as the skip reason).</summary>
internal static class CudaAvailability
{
    public static string? Missing { get; } = Probe();

    private static string? Probe()
    {
        if (OnnxRuntimeBuild.CudaUnavailableReason is { } reason) return reason;
        if (!File.Exists("/dev/nvidia0") && !File.Exists("/dev/nvidiactl"))
            return "this is a CUDA build of ONNX Runtime, but the machine has no NVIDIA device (/dev/nvidia0 is absent)";
        return null;
    }
}

/// <summary>A fact that needs a CUDA build on a machine with an NVIDIA GPU; skipped with the reason elsewhere.</summary>
internal sealed class FactRequiringCudaAttribute : FactAttribute
{
    public FactRequiringCudaAttribute()
    {
        if (CudaAvailability.Missing is { } why) Skip = "needs CUDA: " + why;
    }
}

/// <summary>A fact about behaviour without CUDA (fallback, refusal); skipped where CUDA works, since it cannot hold there.</summary>
internal sealed class FactRequiringNoCudaAttribute : FactAttribute
{
    public FactRequiringNoCudaAttribute()
    {
        if (CudaAvailability.Missing is null) Skip = "CUDA is usable here, so the no-CUDA behaviour cannot be observed";
    }
}
