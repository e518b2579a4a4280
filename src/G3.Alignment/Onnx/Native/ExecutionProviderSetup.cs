using System.Runtime.InteropServices;

namespace G3.Alignment.Onnx.Native;

/// <summary>Builds ORT session options (threads, optimisation level, execution provider).</summary>
internal static unsafe class ExecutionProviderSetup
{
    /// <summary>Session options for the CPU, or for CUDA on the given device when <paramref name="useCuda"/>.</summary>
    public static OrtHandle CreateSessionOptions(OnnxRuntime runtime, OnnxSessionOptions options, bool useCuda)
    {
        var api = runtime.Api;
        nint raw;
        api.Check(api.CreateSessionOptions(&raw), "create session options");
        var handle = new OrtHandle(raw, api.ReleaseSessionOptions);
        try
        {
            api.Check(api.SetIntraOpNumThreads(raw, options.IntraOpThreads), "set intra-op threads");
            api.Check(api.SetInterOpNumThreads(raw, options.InterOpThreads), "set inter-op threads");
            api.Check(api.SetSessionGraphOptimizationLevel(raw, (int)options.GraphOptimization), "set the graph optimisation level");
            if (useCuda) AppendCuda(api, raw, options.CudaDeviceId);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void AppendCuda(OrtApi api, nint sessionOptions, int deviceId)
    {
        nint cudaOptions;
        api.Check(api.CreateCudaProviderOptions(&cudaOptions), "create CUDA provider options");
        var key = Marshal.StringToCoTaskMemUTF8("device_id");
        var value = Marshal.StringToCoTaskMemUTF8(deviceId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            var keys = (byte*)key;
            var values = (byte*)value;
            api.Check(api.UpdateCudaProviderOptions(cudaOptions, &keys, &values, 1), $"select CUDA device {deviceId}");
            api.Check(api.SessionOptionsAppendExecutionProviderCudaV2(sessionOptions, cudaOptions), $"enable CUDA on device {deviceId}");
        }
        finally
        {
            Marshal.FreeCoTaskMem(key);
            Marshal.FreeCoTaskMem(value);
            api.ReleaseCudaProviderOptions(cudaOptions);
        }
    }
}
