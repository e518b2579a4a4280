namespace G3.Alignment.Onnx;

/// <summary>
/// Reads the string ONNX Runtime gives back for a CUDA provider's options
/// (<c>OrtCUDAProviderOptions.GetOptions()</c>, e.g. <c>device_id=0;use_tf32=0;gpu_mem_limit=…</c>),
/// so what the runtime received can be checked rather than what G3 computed.
/// </summary>
public static class CudaOptionsReadBack
{
    /// <summary>The key/value pairs of ORT's options string; a malformed pair or a repeated key is an error.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string options)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in options.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                throw new OnnxRuntimeException($"ONNX Runtime's CUDA options string has a malformed entry '{pair}' (in '{options}')");
            if (!result.TryAdd(pair[..equals], pair[(equals + 1)..]))
                throw new OnnxRuntimeException($"ONNX Runtime's CUDA options string names '{pair[..equals]}' twice (in '{options}')");
        }
        return result;
    }

    /// <summary>Whether <c>use_tf32</c> is on in ORT's options string. ORT always lists it; if it ever does not, TF32's state is unknown and that is an error.</summary>
    public static bool Tf32(string options) => Parse(options).GetValueOrDefault("use_tf32") switch
    {
        "1" => true,
        "0" => false,
        var other => throw new OnnxRuntimeException(
            $"ONNX Runtime's CUDA options do not say whether TF32 is on (use_tf32={other ?? "absent"} in '{options}')"),
    };
}
