namespace G3.Alignment.Onnx.Native;

/// <summary>
/// Positions of the functions we call in ONNX Runtime's <c>OrtApi</c> struct
/// (include/onnxruntime/core/session/onnxruntime_c_api.h). The struct is append-only across
/// releases, so these slots hold for every API version at or above the one that introduced them;
/// each number was counted from the header's member order. A miscount would call the wrong
/// function, so the tests check the observable results (version/build strings, provider list,
/// a real session run with metadata) rather than trusting the count.
/// </summary>
internal static class OrtApiIndex
{
    public const int GetErrorCode = 1;
    public const int GetErrorMessage = 2;
    public const int CreateEnv = 3;
    public const int CreateSession = 7;
    public const int Run = 9;
    public const int CreateSessionOptions = 10;
    public const int SetSessionGraphOptimizationLevel = 23;
    public const int SetIntraOpNumThreads = 24;
    public const int SetInterOpNumThreads = 25;
    public const int SessionGetInputCount = 30;
    public const int SessionGetOutputCount = 31;
    public const int SessionGetInputTypeInfo = 33;
    public const int SessionGetOutputTypeInfo = 34;
    public const int SessionGetInputName = 36;
    public const int SessionGetOutputName = 37;
    public const int CreateRunOptions = 39;
    public const int RunOptionsSetTerminate = 46;
    public const int CreateTensorWithDataAsOrtValue = 49;
    public const int GetTensorMutableData = 51;
    public const int CastTypeInfoToTensorInfo = 55;
    public const int GetOnnxTypeFromTypeInfo = 56;
    public const int GetTensorElementType = 60;
    public const int GetDimensionsCount = 61;
    public const int GetDimensions = 62;
    public const int GetTensorTypeAndShape = 65;
    public const int CreateCpuMemoryInfo = 69;
    public const int AllocatorFree = 76;
    public const int GetAllocatorWithDefaultOptions = 78;
    public const int ReleaseEnv = 92;
    public const int ReleaseStatus = 93;
    public const int ReleaseMemoryInfo = 94;
    public const int ReleaseSession = 95;
    public const int ReleaseValue = 96;
    public const int ReleaseRunOptions = 97;
    public const int ReleaseTypeInfo = 98;
    public const int ReleaseTensorTypeAndShapeInfo = 99;
    public const int ReleaseSessionOptions = 100;
    public const int GetAvailableProviders = 125;
    public const int ReleaseAvailableProviders = 126;
    public const int SessionOptionsAppendExecutionProviderCudaV2 = 204;
    public const int CreateCudaProviderOptions = 205;
    public const int UpdateCudaProviderOptions = 206;
    public const int ReleaseCudaProviderOptions = 208;
    public const int GetBuildInfoString = 254;

    /// <summary>
    /// The API version we ask for: ONNX Runtime 1.30's. GetApi returns null for a version newer than
    /// the loaded library, which is how an older library is detected before any slot is read.
    /// </summary>
    public const uint ApiVersion = 30;

    /// <summary>The highest slot we read; the table must be at least this long.</summary>
    public const int HighestSlot = GetBuildInfoString;
}
