using System.Globalization;

namespace G3.Alignment.Onnx;

/// <summary>Where a session runs. <see cref="Auto"/> takes CUDA when the build and the machine can use it, else the CPU.</summary>
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

/// <summary>
/// How cuDNN picks convolution algorithms (the CUDA provider's <c>cudnn_conv_algo_search</c>):
/// exhaustive benchmarks every algorithm once per shape (slow first run, fastest after), heuristic asks
/// cuDNN's heuristics, default takes cuDNN's default algorithm.
/// </summary>
public enum CudnnConvAlgoSearch
{
    Exhaustive,
    Heuristic,
    Default,
}

/// <summary>How to configure one ONNX Runtime session: threads, optimisation, execution provider and its options.</summary>
public sealed record OnnxSessionOptions
{
    /// <summary>Threads inside one operator; 0 lets ORT choose (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads across independent operators; 0 lets ORT choose.</summary>
    public int InterOpThreads { get; init; }

    public OnnxGraphOptimization GraphOptimization { get; init; } = OnnxGraphOptimization.All;

    public OnnxExecutionProvider ExecutionProvider { get; init; } = OnnxExecutionProvider.Auto;

    /// <summary>CUDA device ordinal used when the CUDA provider is chosen.</summary>
    public int CudaDeviceId { get; init; }

    /// <summary>Upper bound of the CUDA provider's memory arena in bytes (<c>gpu_mem_limit</c>); 0 = no limit.</summary>
    public long GpuMemoryLimitBytes { get; init; }

    /// <summary>
    /// TF32 matrix maths on Ampere and newer GPUs (<c>use_tf32</c>). Null: the model's default, which is
    /// off unless its manifest allows it (location encoders: off, because their random Fourier features
    /// amplify the input rounding TF32 introduces). The encoders refuse true where the manifest does not allow it.
    /// </summary>
    public bool? UseTf32 { get; init; }

    /// <summary>cuDNN convolution algorithm search (<c>cudnn_conv_algo_search</c>).</summary>
    public CudnnConvAlgoSearch CudnnConvAlgoSearch { get; init; } = CudnnConvAlgoSearch.Exhaustive;

    /// <summary>Parses "cpu", "cuda" or "auto" (case-insensitive), as written in configuration and on the command line.</summary>
    public static OnnxExecutionProvider ParseProvider(string value) => value.Trim().ToUpperInvariant() switch
    {
        "CPU" => OnnxExecutionProvider.Cpu,
        "CUDA" => OnnxExecutionProvider.Cuda,
        "AUTO" => OnnxExecutionProvider.Auto,
        _ => throw new ArgumentException($"execution provider '{value}' is not one of cpu, cuda, auto", nameof(value)),
    };

    /// <summary>Parses "exhaustive", "heuristic" or "default" (case-insensitive).</summary>
    public static CudnnConvAlgoSearch ParseConvAlgoSearch(string value) => value.Trim().ToUpperInvariant() switch
    {
        "EXHAUSTIVE" => CudnnConvAlgoSearch.Exhaustive,
        "HEURISTIC" => CudnnConvAlgoSearch.Heuristic,
        "DEFAULT" => CudnnConvAlgoSearch.Default,
        _ => throw new ArgumentException($"cuDNN conv algorithm search '{value}' is not one of exhaustive, heuristic, default", nameof(value)),
    };

    /// <summary>Every problem with these options, as configuration-ready sentences (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (IntraOpThreads < 0) problems.Add($"intra-op threads must be 0 (ORT's choice) or positive, not {IntraOpThreads}");
        if (InterOpThreads < 0) problems.Add($"inter-op threads must be 0 (ORT's choice) or positive, not {InterOpThreads}");
        if (CudaDeviceId < 0) problems.Add($"CUDA device id must be 0 or positive, not {CudaDeviceId}");
        if (GpuMemoryLimitBytes < 0) problems.Add($"GPU memory limit must be 0 (no limit) or a positive number of bytes, not {GpuMemoryLimitBytes}");
        if (!Enum.IsDefined(ExecutionProvider)) problems.Add($"unknown execution provider {ExecutionProvider}");
        if (!Enum.IsDefined(GraphOptimization)) problems.Add($"unknown graph optimisation level {GraphOptimization}");
        if (!Enum.IsDefined(CudnnConvAlgoSearch)) problems.Add($"unknown cuDNN conv algorithm search {CudnnConvAlgoSearch}");
        return problems;
    }

    internal void Validate()
    {
        if (IntraOpThreads < 0)
            throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), IntraOpThreads, "intra-op threads must be 0 (ORT's choice) or positive");
        if (InterOpThreads < 0)
            throw new ArgumentOutOfRangeException(nameof(InterOpThreads), InterOpThreads, "inter-op threads must be 0 (ORT's choice) or positive");
        if (CudaDeviceId < 0)
            throw new ArgumentOutOfRangeException(nameof(CudaDeviceId), CudaDeviceId, "CUDA device id must be 0 or positive");
        if (GpuMemoryLimitBytes < 0)
            throw new ArgumentOutOfRangeException(nameof(GpuMemoryLimitBytes), GpuMemoryLimitBytes, "GPU memory limit must be 0 (no limit) or positive");
        if (Problems() is [var first, ..])
            throw new ArgumentException(first);
    }

    /// <summary>The CUDA provider options these settings give, as ORT's key/value strings.</summary>
    internal Dictionary<string, string> CudaProviderOptions()
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["device_id"] = CudaDeviceId.ToString(CultureInfo.InvariantCulture),
            // Always explicit: ORT's own default for use_tf32 is on.
            ["use_tf32"] = UseTf32 == true ? "1" : "0",
            ["cudnn_conv_algo_search"] = CudnnConvAlgoSearch switch
            {
                CudnnConvAlgoSearch.Heuristic => "HEURISTIC",
                CudnnConvAlgoSearch.Default => "DEFAULT",
                _ => "EXHAUSTIVE",
            },
        };
        // 0 means "no limit" to us; ORT's own default is SIZE_MAX, so the key is only set for a real limit.
        if (GpuMemoryLimitBytes > 0)
            options["gpu_mem_limit"] = GpuMemoryLimitBytes.ToString(CultureInfo.InvariantCulture);
        return options;
    }
}
