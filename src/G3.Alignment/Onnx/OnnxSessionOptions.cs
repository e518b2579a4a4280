namespace G3.Alignment.Onnx;

/// <summary>Where a session runs. <see cref="Auto"/> takes CUDA when the loaded build has it, else the CPU.</summary>
public enum OnnxExecutionProvider
{
    Cpu,
    Cuda,
    Auto,
}

/// <summary>ORT's graph optimisation levels (<c>GraphOptimizationLevel</c>), values as in the C API.</summary>
public enum OnnxGraphOptimization
{
    Disabled = 0,
    Basic = 1,
    Extended = 2,
    All = 99,
}

/// <summary>How to load the ONNX Runtime library and configure a session.</summary>
public sealed record OnnxSessionOptions
{
    /// <summary>
    /// Path of libonnxruntime (e.g. a CUDA build). Empty: the bootstrap's copy under .deps/, then the
    /// system's libonnxruntime.so.1.
    /// </summary>
    public string? LibraryPath { get; init; }

    /// <summary>Threads inside one operator; 0 lets ORT choose (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads across independent operators; 0 lets ORT choose.</summary>
    public int InterOpThreads { get; init; }

    public OnnxGraphOptimization GraphOptimization { get; init; } = OnnxGraphOptimization.All;

    public OnnxExecutionProvider ExecutionProvider { get; init; } = OnnxExecutionProvider.Auto;

    /// <summary>CUDA device ordinal used when the CUDA provider is chosen.</summary>
    public int CudaDeviceId { get; init; }

    /// <summary>Parses "cpu", "cuda" or "auto" (case-insensitive), as written in configuration and on the command line.</summary>
    public static OnnxExecutionProvider ParseProvider(string value) => value.Trim().ToUpperInvariant() switch
    {
        "CPU" => OnnxExecutionProvider.Cpu,
        "CUDA" => OnnxExecutionProvider.Cuda,
        "AUTO" => OnnxExecutionProvider.Auto,
        _ => throw new ArgumentException($"execution provider '{value}' is not one of cpu, cuda, auto", nameof(value)),
    };

    internal void Validate()
    {
        if (IntraOpThreads < 0)
            throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), IntraOpThreads, "intra-op threads must be 0 (ORT's choice) or positive");
        if (InterOpThreads < 0)
            throw new ArgumentOutOfRangeException(nameof(InterOpThreads), InterOpThreads, "inter-op threads must be 0 (ORT's choice) or positive");
        if (CudaDeviceId < 0)
            throw new ArgumentOutOfRangeException(nameof(CudaDeviceId), CudaDeviceId, "CUDA device id must be 0 or positive");
        if (!Enum.IsDefined(ExecutionProvider))
            throw new ArgumentOutOfRangeException(nameof(ExecutionProvider), ExecutionProvider, "unknown execution provider");
        if (!Enum.IsDefined(GraphOptimization))
            throw new ArgumentOutOfRangeException(nameof(GraphOptimization), GraphOptimization, "unknown graph optimisation level");
    }
}
