using Microsoft.ML.OnnxRuntime;

namespace G3.Alignment.Onnx;

/// <summary>
/// What the ONNX Runtime build this program was compiled with offers: its version, its execution
/// providers, and whether CUDA can be asked for at all. The native library comes from a NuGet
/// package (CPU by default, CUDA with <c>-p:G3Gpu=true</c>), so which one is known at compile time.
/// </summary>
public static class OnnxRuntimeBuild
{
    internal const string CudaProviderName = "CUDAExecutionProvider";

#if G3_GPU
    /// <summary>The NuGet package that supplies the native library of this build.</summary>
    public const string NativePackage = "Microsoft.ML.OnnxRuntime.Gpu.Linux";
#else
    /// <summary>The NuGet package that supplies the native library of this build.</summary>
    public const string NativePackage = "Microsoft.ML.OnnxRuntime";
#endif

    /// <summary>ORT's version string, e.g. "1.31.0".</summary>
    public static string Version => OrtEnv.Instance().GetVersionString();

    /// <summary>Execution providers compiled into the loaded library, e.g. "CPUExecutionProvider".</summary>
    public static IReadOnlyList<string> AvailableProviders => OrtEnv.Instance().GetAvailableProviders();

    /// <summary>
    /// Why CUDA cannot be requested from this build, or null when the build has the CUDA provider
    /// (a GPU, its driver and the CUDA/cuDNN libraries are still needed when a session is created).
    /// </summary>
    public static string? CudaUnavailableReason =>
        AvailableProviders.Contains(CudaProviderName, StringComparer.Ordinal)
            ? null
            : $"this build uses the CPU-only ONNX Runtime {Version} (package {NativePackage}; it offers {string.Join(", ", AvailableProviders)}); " +
              "build with -p:G3Gpu=true for the CUDA package (docs/gpu.md)";

    /// <summary>One line for start-up logs: package, version, providers.</summary>
    public static string Describe() => $"ONNX Runtime {Version} ({NativePackage}; providers: {string.Join(", ", AvailableProviders)})";
}
