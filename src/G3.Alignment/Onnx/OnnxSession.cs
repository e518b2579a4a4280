using System.Runtime.InteropServices;
using G3.Alignment.Onnx.Native;

namespace G3.Alignment.Onnx;

/// <summary>
/// One ONNX model loaded into ONNX Runtime, with its declared inputs and outputs. Safe to share:
/// ORT's Run is thread-safe, and concurrent <see cref="Run"/> calls each bring their own tensors.
/// Disposing while runs are in flight is safe too: the native session is released after the last one.
/// </summary>
public sealed unsafe partial class OnnxSession : IDisposable
{
    private readonly OrtHandle _session;
    private readonly NativeNameTable _inputNames;
    private readonly NativeNameTable _outputNames;
    private readonly Dictionary<string, int> _inputIndex;
    private readonly Dictionary<string, int> _outputIndex;

    private OnnxSession(OnnxRuntime runtime, string modelPath, OrtHandle session, string provider, string providerDescription)
    {
        Runtime = runtime;
        ModelPath = modelPath;
        _session = session;
        ExecutionProvider = provider;
        ExecutionProviderDescription = providerDescription;
        Inputs = SessionMetadataReader.Inputs(runtime, session.DangerousGetHandle());
        Outputs = SessionMetadataReader.Outputs(runtime, session.DangerousGetHandle());
        _inputIndex = Inputs.Select((t, i) => (t.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        _outputIndex = Outputs.Select((t, i) => (t.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        _inputNames = new NativeNameTable([.. Inputs.Select(t => t.Name)]);
        _outputNames = new NativeNameTable([.. Outputs.Select(t => t.Name)]);
    }

    /// <summary>
    /// Loads <paramref name="modelPath"/>. With <see cref="OnnxExecutionProvider.Cuda"/> and a library
    /// without CUDA this throws, naming the library; with <see cref="OnnxExecutionProvider.Auto"/> it
    /// falls back to the CPU and says why in <see cref="ExecutionProviderDescription"/>.
    /// </summary>
    public static OnnxSession Open(string modelPath, OnnxSessionOptions? options = null)
    {
        options ??= new OnnxSessionOptions();
        options.Validate();
        var fullPath = Path.GetFullPath(modelPath);
        if (!File.Exists(fullPath))
            throw new OnnxRuntimeException($"ONNX model '{fullPath}' does not exist");
        var runtime = OnnxRuntime.Load(options.LibraryPath);

        switch (options.ExecutionProvider)
        {
            case OnnxExecutionProvider.Cpu:
                return Create(runtime, fullPath, options, useCuda: false, "CPU", "CPU (requested)");
            case OnnxExecutionProvider.Cuda:
                if (runtime.CudaUnavailableReason is { } reason)
                    throw NoCuda(fullPath, reason, null);
                try
                {
                    return Create(runtime, fullPath, options, useCuda: true, "CUDA", $"CUDA device {options.CudaDeviceId} (requested)");
                }
                catch (OnnxRuntimeException e) when (e.ErrorCode is not (OrtErrorCode.NoSuchFile or OrtErrorCode.InvalidProtobuf or OrtErrorCode.InvalidGraph))
                {
                    throw NoCuda(fullPath, $"ONNX Runtime could not enable CUDA device {options.CudaDeviceId}: {e.OrtMessage}", e);
                }
            default:
                if (runtime.CudaUnavailableReason is { } why)
                    return Create(runtime, fullPath, options, useCuda: false, "CPU", $"CPU (auto: {why})");
                try
                {
                    return Create(runtime, fullPath, options, useCuda: true, "CUDA", $"CUDA device {options.CudaDeviceId} (auto)");
                }
                catch (OnnxRuntimeException e) when (e.ErrorCode is not (OrtErrorCode.NoSuchFile or OrtErrorCode.InvalidProtobuf or OrtErrorCode.InvalidGraph))
                {
                    // The build has CUDA but this machine cannot use it (no driver, no device): the CPU still can.
                    return Create(runtime, fullPath, options, useCuda: false, "CPU", $"CPU (auto: CUDA unavailable: {e.OrtMessage})");
                }
        }
    }

    private static OnnxRuntimeException NoCuda(string model, string reason, Exception? inner)
    {
        var message = $"execution provider 'cuda' was requested for '{model}', but {reason}; " +
            "configure the path of a CUDA build of ONNX Runtime (with its provider libraries), or choose 'cpu' or 'auto'";
        return inner is null ? new OnnxRuntimeException(message) : new OnnxRuntimeException(message, inner);
    }

    public OnnxRuntime Runtime { get; }

    public string ModelPath { get; }

    public IReadOnlyList<OnnxTensorInfo> Inputs { get; }

    public IReadOnlyList<OnnxTensorInfo> Outputs { get; }

    /// <summary>"CPU" or "CUDA": where this session's nodes run.</summary>
    public string ExecutionProvider { get; }

    /// <summary>One line saying which provider was chosen and why (log it at start-up).</summary>
    public string ExecutionProviderDescription { get; }

    public OnnxTensorInfo Input(string name) =>
        _inputIndex.TryGetValue(name, out var i) ? Inputs[i]
            : throw new OnnxRuntimeException($"model '{ModelPath}' has no input '{name}' (it has {Describe(Inputs)})");

    public OnnxTensorInfo Output(string name) =>
        _outputIndex.TryGetValue(name, out var i) ? Outputs[i]
            : throw new OnnxRuntimeException($"model '{ModelPath}' has no output '{name}' (it has {Describe(Outputs)})");

    public void Dispose()
    {
        _session.Dispose();
        _inputNames.Dispose();
        _outputNames.Dispose();
    }

    internal static string Describe(IEnumerable<OnnxTensorInfo> tensors) => string.Join(", ", tensors);

    private static OnnxSession Create(
        OnnxRuntime runtime, string path, OnnxSessionOptions options, bool useCuda, string provider, string description)
    {
        var api = runtime.Api;
        using var sessionOptions = ExecutionProviderSetup.CreateSessionOptions(runtime, options, useCuda);
        var utf8Path = Marshal.StringToCoTaskMemUTF8(path);
        nint raw;
        try
        {
            api.Check(api.CreateSession(runtime.Environment.DangerousGetHandle(), (byte*)utf8Path, sessionOptions.DangerousGetHandle(), &raw),
                $"load model '{path}'");
        }
        finally
        {
            Marshal.FreeCoTaskMem(utf8Path);
        }
        var session = new OrtHandle(raw, api.ReleaseSession);
        try
        {
            return new OnnxSession(runtime, path, session, provider, description);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }
}
