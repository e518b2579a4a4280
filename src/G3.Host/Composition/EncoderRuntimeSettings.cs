using G3.Alignment.Onnx;
using G3.Core.Options;

namespace G3.Host.Composition;

/// <summary>
/// Section <c>Model:Image</c> or <c>Model:Location</c>: how one of the model's ONNX sessions runs. The
/// two are separate because they want different numerics on a GPU: the location encoder keeps TF32 off
/// (its random Fourier features turn TF32's rounding into different embeddings), the image encoder may
/// use it where its manifest allows.
/// </summary>
public sealed class EncoderRuntimeSettings
{
    /// <summary>CUDA device ordinal.</summary>
    public int CudaDeviceId { get; set; }

    /// <summary>Upper bound of ORT's CUDA memory arena in MiB; 0 = no limit.</summary>
    public long GpuMemoryLimitMiB { get; set; }

    /// <summary>TF32 on the GPU: null = the manifest's "allowTf32" (false unless stated); true is refused where the manifest does not allow it.</summary>
    public bool? Tf32 { get; set; }

    /// <summary>cuDNN convolution algorithm search: exhaustive, heuristic or default.</summary>
    public string CudnnConvAlgoSearch { get; set; } = "exhaustive";

    /// <summary>Threads inside one operator on the CPU; 0 = ORT's choice (one per physical core).</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>The session options these settings give, with the section's shared execution provider.</summary>
    public OnnxSessionOptions ToSessionOptions(OnnxExecutionProvider provider) => new()
    {
        ExecutionProvider = provider,
        CudaDeviceId = CudaDeviceId,
        GpuMemoryLimitBytes = GpuMemoryLimitMiB * 1024 * 1024,
        UseTf32 = Tf32,
        CudnnConvAlgoSearch = OnnxSessionOptions.ParseConvAlgoSearch(CudnnConvAlgoSearch),
        IntraOpThreads = IntraOpThreads,
    };

    internal IEnumerable<string> Validate(string section)
    {
        if (GpuMemoryLimitMiB is < 0 or > long.MaxValue / (1024 * 1024))
            yield return $"{section}:GpuMemoryLimitMiB must be 0 (no limit) or a positive number of MiB, not {GpuMemoryLimitMiB}";
        var options = default(OnnxSessionOptions);
        string? parseError = null;
        try
        {
            options = ToSessionOptions(OnnxExecutionProvider.Auto) with { GpuMemoryLimitBytes = 0 };
        }
        catch (ArgumentException e)
        {
            parseError = $"{section}:CudnnConvAlgoSearch: {e.Message.Split(" (Parameter", 2)[0]}";
        }
        if (parseError is not null) yield return parseError;
        if (options is not null)
            foreach (var problem in options.Problems()) yield return $"{section}: {problem}";
    }
}
