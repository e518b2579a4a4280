namespace G3.Alignment.Onnx.Native;

/// <summary>
/// The slice of ONNX Runtime's <c>OrtApi</c> function table that G3 uses, read once into typed
/// unmanaged function pointers. Opaque ORT objects travel as <see cref="nint"/>; every function that
/// returns an <c>OrtStatus*</c> returns it as <see cref="nint"/> (0 = success) and goes through
/// <see cref="Check"/>.
/// </summary>
internal sealed unsafe class OrtApi
{
    public readonly delegate* unmanaged<nint, int> GetErrorCode;
    public readonly delegate* unmanaged<nint, byte*> GetErrorMessage;
    public readonly delegate* unmanaged<int, byte*, nint*, nint> CreateEnv;
    public readonly delegate* unmanaged<nint, byte*, nint, nint*, nint> CreateSession;
    public readonly delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint> Run;
    public readonly delegate* unmanaged<nint*, nint> CreateSessionOptions;
    public readonly delegate* unmanaged<nint, int, nint> SetSessionGraphOptimizationLevel;
    public readonly delegate* unmanaged<nint, int, nint> SetIntraOpNumThreads;
    public readonly delegate* unmanaged<nint, int, nint> SetInterOpNumThreads;
    public readonly delegate* unmanaged<nint, nuint*, nint> SessionGetInputCount;
    public readonly delegate* unmanaged<nint, nuint*, nint> SessionGetOutputCount;
    public readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetInputTypeInfo;
    public readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetOutputTypeInfo;
    public readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetInputName;
    public readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetOutputName;
    public readonly delegate* unmanaged<nint*, nint> CreateRunOptions;
    public readonly delegate* unmanaged<nint, nint> RunOptionsSetTerminate;
    public readonly delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint> CreateTensorWithDataAsOrtValue;
    public readonly delegate* unmanaged<nint, void**, nint> GetTensorMutableData;
    public readonly delegate* unmanaged<nint, nint*, nint> CastTypeInfoToTensorInfo;
    public readonly delegate* unmanaged<nint, int*, nint> GetOnnxTypeFromTypeInfo;
    public readonly delegate* unmanaged<nint, int*, nint> GetTensorElementType;
    public readonly delegate* unmanaged<nint, nuint*, nint> GetDimensionsCount;
    public readonly delegate* unmanaged<nint, long*, nuint, nint> GetDimensions;
    public readonly delegate* unmanaged<nint, nint*, nint> GetTensorTypeAndShape;
    public readonly delegate* unmanaged<int, int, nint*, nint> CreateCpuMemoryInfo;
    public readonly delegate* unmanaged<nint, void*, nint> AllocatorFree;
    public readonly delegate* unmanaged<nint*, nint> GetAllocatorWithDefaultOptions;
    public readonly delegate* unmanaged<nint, void> ReleaseEnv;
    public readonly delegate* unmanaged<nint, void> ReleaseStatus;
    public readonly delegate* unmanaged<nint, void> ReleaseMemoryInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseSession;
    public readonly delegate* unmanaged<nint, void> ReleaseValue;
    public readonly delegate* unmanaged<nint, void> ReleaseRunOptions;
    public readonly delegate* unmanaged<nint, void> ReleaseTypeInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseTensorTypeAndShapeInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseSessionOptions;
    public readonly delegate* unmanaged<byte***, int*, nint> GetAvailableProviders;
    public readonly delegate* unmanaged<byte**, int, nint> ReleaseAvailableProviders;
    public readonly delegate* unmanaged<nint, nint, nint> SessionOptionsAppendExecutionProviderCudaV2;
    public readonly delegate* unmanaged<nint*, nint> CreateCudaProviderOptions;
    public readonly delegate* unmanaged<nint, byte**, byte**, nuint, nint> UpdateCudaProviderOptions;
    public readonly delegate* unmanaged<nint, void> ReleaseCudaProviderOptions;
    public readonly delegate* unmanaged<byte*> GetBuildInfoString;

    /// <param name="table">The <c>const OrtApi*</c> returned by <c>OrtApiBase::GetApi</c>.</param>
    public OrtApi(nint table)
    {
        var slots = (nint*)table;
        GetErrorCode = (delegate* unmanaged<nint, int>)slots[OrtApiIndex.GetErrorCode];
        GetErrorMessage = (delegate* unmanaged<nint, byte*>)slots[OrtApiIndex.GetErrorMessage];
        CreateEnv = (delegate* unmanaged<int, byte*, nint*, nint>)slots[OrtApiIndex.CreateEnv];
        CreateSession = (delegate* unmanaged<nint, byte*, nint, nint*, nint>)slots[OrtApiIndex.CreateSession];
        Run = (delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint>)slots[OrtApiIndex.Run];
        CreateSessionOptions = (delegate* unmanaged<nint*, nint>)slots[OrtApiIndex.CreateSessionOptions];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged<nint, int, nint>)slots[OrtApiIndex.SetSessionGraphOptimizationLevel];
        SetIntraOpNumThreads = (delegate* unmanaged<nint, int, nint>)slots[OrtApiIndex.SetIntraOpNumThreads];
        SetInterOpNumThreads = (delegate* unmanaged<nint, int, nint>)slots[OrtApiIndex.SetInterOpNumThreads];
        SessionGetInputCount = (delegate* unmanaged<nint, nuint*, nint>)slots[OrtApiIndex.SessionGetInputCount];
        SessionGetOutputCount = (delegate* unmanaged<nint, nuint*, nint>)slots[OrtApiIndex.SessionGetOutputCount];
        SessionGetInputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)slots[OrtApiIndex.SessionGetInputTypeInfo];
        SessionGetOutputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)slots[OrtApiIndex.SessionGetOutputTypeInfo];
        SessionGetInputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)slots[OrtApiIndex.SessionGetInputName];
        SessionGetOutputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)slots[OrtApiIndex.SessionGetOutputName];
        CreateRunOptions = (delegate* unmanaged<nint*, nint>)slots[OrtApiIndex.CreateRunOptions];
        RunOptionsSetTerminate = (delegate* unmanaged<nint, nint>)slots[OrtApiIndex.RunOptionsSetTerminate];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint>)slots[OrtApiIndex.CreateTensorWithDataAsOrtValue];
        GetTensorMutableData = (delegate* unmanaged<nint, void**, nint>)slots[OrtApiIndex.GetTensorMutableData];
        CastTypeInfoToTensorInfo = (delegate* unmanaged<nint, nint*, nint>)slots[OrtApiIndex.CastTypeInfoToTensorInfo];
        GetOnnxTypeFromTypeInfo = (delegate* unmanaged<nint, int*, nint>)slots[OrtApiIndex.GetOnnxTypeFromTypeInfo];
        GetTensorElementType = (delegate* unmanaged<nint, int*, nint>)slots[OrtApiIndex.GetTensorElementType];
        GetDimensionsCount = (delegate* unmanaged<nint, nuint*, nint>)slots[OrtApiIndex.GetDimensionsCount];
        GetDimensions = (delegate* unmanaged<nint, long*, nuint, nint>)slots[OrtApiIndex.GetDimensions];
        GetTensorTypeAndShape = (delegate* unmanaged<nint, nint*, nint>)slots[OrtApiIndex.GetTensorTypeAndShape];
        CreateCpuMemoryInfo = (delegate* unmanaged<int, int, nint*, nint>)slots[OrtApiIndex.CreateCpuMemoryInfo];
        AllocatorFree = (delegate* unmanaged<nint, void*, nint>)slots[OrtApiIndex.AllocatorFree];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged<nint*, nint>)slots[OrtApiIndex.GetAllocatorWithDefaultOptions];
        ReleaseEnv = (delegate* unmanaged<nint, void>)slots[OrtApiIndex.ReleaseEnv];
        ReleaseStatus = (delegate* unmanaged<nint, void>)slots[OrtApiIndex.ReleaseStatus];
        ReleaseMemoryInfo = (delegate* unmanaged<nint, void>)slots[OrtApiIndex.ReleaseMemoryInfo];
        ReleaseSession = (delegate* unmanaged<nint, void>)slots[OrtApiIndex.ReleaseSession];
        ReleaseValue = (delegate* unmanaged<nint, void>)slots[OrtApiIndex.ReleaseValue];
        ReleaseRunOptions = (delegate* unmanaged<nint, void>)slots[OrtApiIndex.ReleaseRunOptions];
        ReleaseTypeInfo = (delegate* unmanaged<nint, void>)slots[OrtApiIndex.ReleaseTypeInfo];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged<nint, void>)slots[OrtApiIndex.ReleaseTensorTypeAndShapeInfo];
        ReleaseSessionOptions = (delegate* unmanaged<nint, void>)slots[OrtApiIndex.ReleaseSessionOptions];
        GetAvailableProviders = (delegate* unmanaged<byte***, int*, nint>)slots[OrtApiIndex.GetAvailableProviders];
        ReleaseAvailableProviders = (delegate* unmanaged<byte**, int, nint>)slots[OrtApiIndex.ReleaseAvailableProviders];
        SessionOptionsAppendExecutionProviderCudaV2 = (delegate* unmanaged<nint, nint, nint>)slots[OrtApiIndex.SessionOptionsAppendExecutionProviderCudaV2];
        CreateCudaProviderOptions = (delegate* unmanaged<nint*, nint>)slots[OrtApiIndex.CreateCudaProviderOptions];
        UpdateCudaProviderOptions = (delegate* unmanaged<nint, byte**, byte**, nuint, nint>)slots[OrtApiIndex.UpdateCudaProviderOptions];
        ReleaseCudaProviderOptions = (delegate* unmanaged<nint, void>)slots[OrtApiIndex.ReleaseCudaProviderOptions];
        GetBuildInfoString = (delegate* unmanaged<byte*>)slots[OrtApiIndex.GetBuildInfoString];
    }

    /// <summary>Turns a returned <c>OrtStatus*</c> into an exception (releasing the status); 0 is success.</summary>
    public void Check(nint status, string operation)
    {
        if (status == 0) return;
        OrtErrorCode code;
        string message;
        try
        {
            code = (OrtErrorCode)GetErrorCode(status);
            message = Utf8(GetErrorMessage(status)) ?? "(no message)";
        }
        finally
        {
            ReleaseStatus(status);
        }
        throw new OnnxRuntimeException(code, operation, message);
    }

    /// <summary>Copies a NUL-terminated UTF-8 string owned by ORT (or null).</summary>
    public static string? Utf8(byte* text) =>
        text is null ? null : System.Runtime.InteropServices.Marshal.PtrToStringUTF8((nint)text);
}
