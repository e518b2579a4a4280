using Microsoft.ML.OnnxRuntime;
using OrtException = Microsoft.ML.OnnxRuntime.OnnxRuntimeException;

namespace G3.Alignment.Onnx;

/// <summary>
/// One ONNX model loaded into ONNX Runtime (an <see cref="InferenceSession"/>), with its declared inputs,
/// outputs and metadata. Safe to share: ORT's Run is thread-safe, and concurrent <see cref="Run"/> calls
/// each bring their own tensors. Disposing while runs are in flight is safe too: the native session is
/// released when the last run leaves.
/// </summary>
public sealed partial class OnnxSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly Dictionary<string, int> _inputIndex;
    private readonly Dictionary<string, int> _outputIndex;
    private readonly Lock _gate = new();
    private int _runsInFlight;
    private bool _disposed;

    private OnnxSession(string modelPath, InferenceSession session, string provider, string providerDescription, string? cudaOptions, bool tf32)
    {
        ModelPath = modelPath;
        _session = session;
        ExecutionProvider = provider;
        ExecutionProviderDescription = providerDescription;
        CudaProviderOptions = cudaOptions;
        Tf32Enabled = tf32;
        Inputs = [.. session.InputNames.Select(n => Describe(n, session.InputMetadata[n]))];
        Outputs = [.. session.OutputNames.Select(n => Describe(n, session.OutputMetadata[n]))];
        _inputIndex = Inputs.Select((t, i) => (t.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        _outputIndex = Outputs.Select((t, i) => (t.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var metadata = session.ModelMetadata;
        ProducerName = metadata.ProducerName;
        CustomMetadata = new Dictionary<string, string>(metadata.CustomMetadataMap, StringComparer.Ordinal);
    }

    /// <summary>
    /// Loads <paramref name="modelPath"/>. With <see cref="OnnxExecutionProvider.Cuda"/> on a build or machine
    /// without CUDA this throws, saying which; with <see cref="OnnxExecutionProvider.Auto"/> it falls back to the
    /// CPU and says why in <see cref="ExecutionProviderDescription"/>.
    /// </summary>
    public static OnnxSession Open(string modelPath, OnnxSessionOptions? options = null)
    {
        options ??= new OnnxSessionOptions();
        options.Validate();
        var fullPath = Path.GetFullPath(modelPath);
        if (!File.Exists(fullPath))
            throw new OnnxRuntimeException($"ONNX model '{fullPath}' does not exist");

        var device = $"CUDA device {options.CudaDeviceId}, TF32 {(options.UseTf32 == true ? "on" : "off")}";
        switch (options.ExecutionProvider)
        {
            case OnnxExecutionProvider.Cpu:
                return Create(fullPath, options, useCuda: false, "CPU", "CPU (requested)");
            case OnnxExecutionProvider.Cuda:
                if (OnnxRuntimeBuild.CudaUnavailableReason is { } reason)
                    throw NoCuda(fullPath, reason, null);
                try
                {
                    return Create(fullPath, options, useCuda: true, "CUDA", $"{device} (requested)");
                }
                catch (OnnxRuntimeException e) when (!IsModelError(e))
                {
                    throw NoCuda(fullPath, $"ONNX Runtime could not enable {device}: {Reason(e)}", e);
                }
            default:
                if (OnnxRuntimeBuild.CudaUnavailableReason is { } why)
                    return Create(fullPath, options, useCuda: false, "CPU", $"CPU (auto: {why})");
                try
                {
                    return Create(fullPath, options, useCuda: true, "CUDA", $"{device} (auto)");
                }
                catch (OnnxRuntimeException e) when (!IsModelError(e))
                {
                    // The build has CUDA but this machine cannot use it (no driver, no device, no CUDA libraries): the CPU still can.
                    return Create(fullPath, options, useCuda: false, "CPU", $"CPU (auto: CUDA unavailable: {Reason(e)})");
                }
        }
    }

    public string ModelPath { get; }

    public IReadOnlyList<OnnxTensorInfo> Inputs { get; }

    public IReadOnlyList<OnnxTensorInfo> Outputs { get; }

    /// <summary>The model's producer (e.g. "pytorch"), from its metadata.</summary>
    public string ProducerName { get; }

    /// <summary>The model's custom metadata (ONNX <c>metadata_props</c>), e.g. "g3.precision" → "float16".</summary>
    public IReadOnlyDictionary<string, string> CustomMetadata { get; }

    /// <summary>"CPU" or "CUDA": where this session's nodes run.</summary>
    public string ExecutionProvider { get; }

    /// <summary>One line saying which provider was chosen and why (log it at start-up).</summary>
    public string ExecutionProviderDescription { get; }

    /// <summary>
    /// ONNX Runtime's own rendering of the CUDA provider options this session was given
    /// (<c>OrtCUDAProviderOptions.GetOptions()</c>: <c>key=value;key=value</c>), read back after G3 set them;
    /// null on the CPU. What ORT received, not what G3 meant to send.
    /// </summary>
    public string? CudaProviderOptions { get; }

    /// <summary>Whether TF32 matrix maths are on for this session: <c>use_tf32</c> in <see cref="CudaProviderOptions"/>; false on the CPU.</summary>
    public bool Tf32Enabled { get; }

    public OnnxTensorInfo Input(string name) =>
        _inputIndex.TryGetValue(name, out var i) ? Inputs[i]
            : throw new OnnxRuntimeException($"model '{ModelPath}' has no input '{name}' (it has {Describe(Inputs)})");

    public OnnxTensorInfo Output(string name) =>
        _outputIndex.TryGetValue(name, out var i) ? Outputs[i]
            : throw new OnnxRuntimeException($"model '{ModelPath}' has no output '{name}' (it has {Describe(Outputs)})");

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            if (_runsInFlight > 0) return; // the last run out releases the session
        }
        _session.Dispose();
    }

    internal static string Describe(IEnumerable<OnnxTensorInfo> tensors) => string.Join(", ", tensors);

    /// <summary>Errors that are the model file's fault, not the provider's: never a reason to blame or skip CUDA.</summary>
    private static bool IsModelError(OnnxRuntimeException e) =>
        e.ErrorCode is OrtErrorCode.NoSuchFile or OrtErrorCode.InvalidProtobuf or OrtErrorCode.InvalidGraph;

    /// <summary>ORT's own message where ORT raised the error, else G3's (e.g. an unreadable options string).</summary>
    private static string Reason(OnnxRuntimeException e) => e.OrtMessage.Length > 0 ? e.OrtMessage : e.Message;

    private static OnnxRuntimeException NoCuda(string model, string reason, Exception? inner)
    {
        var message = $"execution provider 'cuda' was requested for '{model}', but {reason}; " +
            "choose 'cpu' or 'auto', or run a CUDA build on a machine with an NVIDIA GPU and the CUDA 13 / cuDNN 9 libraries (docs/gpu.md)";
        return inner is null ? new OnnxRuntimeException(message) : new OnnxRuntimeException(message, inner);
    }

    private static OnnxSession Create(string path, OnnxSessionOptions options, bool useCuda, string provider, string description)
    {
        InferenceSession? session = null;
        try
        {
            using var sessionOptions = new SessionOptions
            {
                IntraOpNumThreads = options.IntraOpThreads,
                InterOpNumThreads = options.InterOpThreads,
                GraphOptimizationLevel = options.GraphOptimization switch
                {
                    OnnxGraphOptimization.Disabled => GraphOptimizationLevel.ORT_DISABLE_ALL,
                    OnnxGraphOptimization.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                    OnnxGraphOptimization.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                    _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
                },
            };
            string? cudaOptions = null;
            var tf32 = false;
            if (useCuda)
            {
                using var cuda = Wrap(() => new OrtCUDAProviderOptions(), "create the CUDA provider options");
                Wrap(() => cuda.UpdateOptions(options.CudaProviderOptions()), $"configure CUDA device {options.CudaDeviceId}");
                // Read back from the same object the session is given: the options as ORT holds them.
                cudaOptions = Wrap(cuda.GetOptions, "read back the CUDA provider options");
                tf32 = CudaOptionsReadBack.Tf32(cudaOptions);
                Wrap(() => sessionOptions.AppendExecutionProvider_CUDA(cuda), $"enable CUDA on device {options.CudaDeviceId}");
            }
            session = Wrap(() => new InferenceSession(path, sessionOptions), $"load model '{path}'");
            return new OnnxSession(path, session, provider, description, cudaOptions, tf32);
        }
        catch
        {
            session?.Dispose();
            throw;
        }
    }

    /// <summary>Runs an ORT call, turning ORT's exception into ours with what G3 was doing.</summary>
    internal static T Wrap<T>(Func<T> call, string operation)
    {
        try
        {
            return call();
        }
        catch (OrtException e)
        {
            throw Translate(e, operation);
        }
    }

    internal static void Wrap(Action call, string operation) => Wrap(() => { call(); return 0; }, operation);

    /// <summary>
    /// ORT's managed exception reads "[ErrorCode:X] message" (its code property is not public): keep the
    /// code, as ours, and the bare message. A code name this build does not know reads as Fail.
    /// </summary>
    internal static OnnxRuntimeException Translate(OrtException e, string operation)
    {
        var message = e.Message;
        var code = OrtErrorCode.Fail;
        const string prefix = "[ErrorCode:";
        if (message.StartsWith(prefix, StringComparison.Ordinal) && message.IndexOf(']', StringComparison.Ordinal) is var end and > 0)
        {
            if (!Enum.TryParse(message[prefix.Length..end], ignoreCase: false, out code)) code = OrtErrorCode.Fail;
            message = message[(end + 1)..].TrimStart();
        }
        return new OnnxRuntimeException(code, operation, message, e);
    }

    private static OnnxTensorInfo Describe(string name, NodeMetadata metadata)
    {
        if (metadata.OnnxValueType != OnnxValueType.ONNX_TYPE_TENSOR)
            return new OnnxTensorInfo(name, false, OnnxElementType.Undefined, []);
        // Symbolic and unknown dimensions are reported as -1, as the manifest writes "any".
        return new OnnxTensorInfo(name, true, (OnnxElementType)(int)metadata.ElementDataType,
            [.. metadata.Dimensions.Select(d => d < 0 ? -1L : d)]);
    }
}
