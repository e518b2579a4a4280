using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using G3.Alignment.Onnx.Native;

namespace G3.Alignment.Onnx;

/// <summary>
/// One loaded ONNX Runtime library: its function table, the process's <c>OrtEnv</c>, a CPU memory
/// description for tensors over managed memory, and what the build offers (version, execution
/// providers). Loaded once per library path and kept for the process's lifetime, because ORT wants
/// one environment per process and unloading it under live sessions would be unsafe.
/// </summary>
public sealed unsafe class OnnxRuntime
{
    private static readonly ConcurrentDictionary<string, Lazy<OnnxRuntime>> Loaded = new(StringComparer.Ordinal);

    private OnnxRuntime(nint library, string libraryPath)
    {
        LibraryPath = libraryPath;
        var getApiBase = (delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "OrtGetApiBase");
        var apiBase = (nint*)getApiBase();
        if (apiBase is null)
            throw new OnnxRuntimeException($"ONNX Runtime library '{libraryPath}' returned no API base");
        var getApi = (delegate* unmanaged<uint, nint>)apiBase[0];
        var getVersion = (delegate* unmanaged<byte*>)apiBase[1];
        Version = OrtApi.Utf8(getVersion()) ?? "unknown";
        var table = getApi(OrtApiIndex.ApiVersion);
        if (table == 0)
            throw new OnnxRuntimeException(
                $"ONNX Runtime library '{libraryPath}' is version {Version}, which does not offer C API version {OrtApiIndex.ApiVersion}; " +
                $"use ONNX Runtime {OrtLibraryLocator.BundledVersion} or newer (scripts/bootstrap.sh installs it)");
        Api = new OrtApi(table);
        BuildInfo = OrtApi.Utf8(Api.GetBuildInfoString()) ?? "";
        AvailableProviders = ReadProviders();
        Environment = CreateEnvironment();
        CpuMemory = CreateCpuMemoryInfo();
        nint allocator;
        Api.Check(Api.GetAllocatorWithDefaultOptions(&allocator), "get the default allocator");
        DefaultAllocator = allocator;
    }

    /// <summary>
    /// The runtime for the given library path (see <see cref="OnnxSessionOptions.LibraryPath"/>), or,
    /// when null, the bootstrap's copy under .deps/ and then the system's libonnxruntime.so.1.
    /// </summary>
    public static OnnxRuntime Load(string? libraryPath = null)
    {
        var key = string.IsNullOrWhiteSpace(libraryPath) ? "" : Path.GetFullPath(libraryPath);
        var lazy = Loaded.GetOrAdd(key, k => new Lazy<OnnxRuntime>(() =>
        {
            var (handle, path) = OrtLibraryLocator.Load(k.Length == 0 ? null : k);
            return new OnnxRuntime(handle, path);
        }));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A failed load (library absent) must not be cached: the user may run the bootstrap and retry.
            Loaded.TryRemove(new KeyValuePair<string, Lazy<OnnxRuntime>>(key, lazy));
            throw;
        }
    }

    /// <summary>Where the library was loaded from.</summary>
    public string LibraryPath { get; }

    /// <summary>ORT's version string, e.g. "1.30.0".</summary>
    public string Version { get; }

    /// <summary>ORT's build description (git commit, build type).</summary>
    public string BuildInfo { get; }

    /// <summary>Execution providers compiled into this build, e.g. "CPUExecutionProvider".</summary>
    public IReadOnlyList<string> AvailableProviders { get; }

    /// <summary>Whether CUDA looks usable: the build has the CUDA provider and its provider library is installed.</summary>
    public bool HasCuda => CudaUnavailableReason is null;

    /// <summary>Why CUDA cannot be used with this library, or null when it looks usable (a GPU is still needed at session creation).</summary>
    public string? CudaUnavailableReason
    {
        get
        {
            var library = $"the ONNX Runtime library '{LibraryPath}' (version {Version})";
            if (!AvailableProviders.Contains(CudaProviderName, StringComparer.Ordinal))
                return $"{library} is built without the CUDA execution provider (it offers: {string.Join(", ", AvailableProviders)})";
            // Builds with CUDA support (such as the npm package's) load the provider from a separate library
            // beside the main one; without it, only the CPU provider works.
            if (Path.IsPathRooted(LibraryPath) && !File.Exists(Path.Combine(Path.GetDirectoryName(LibraryPath)!, CudaProviderLibrary)))
                return $"{library} supports CUDA, but its provider library {CudaProviderLibrary} is not installed beside it (a CPU-only installation)";
            return null;
        }
    }

    internal const string CudaProviderName = "CUDAExecutionProvider";

    internal const string CudaProviderLibrary = "libonnxruntime_providers_cuda.so";

    internal OrtApi Api { get; }

    internal OrtHandle Environment { get; }

    internal OrtHandle CpuMemory { get; }

    /// <summary>ORT's process-wide default allocator; owned by ORT, never released.</summary>
    internal nint DefaultAllocator { get; }

    private string[] ReadProviders()
    {
        byte** providers = null;
        var count = 0;
        Api.Check(Api.GetAvailableProviders(&providers, &count), "list execution providers");
        try
        {
            var names = new string[count];
            for (var i = 0; i < count; i++)
                names[i] = OrtApi.Utf8(providers[i]) ?? "";
            return names;
        }
        finally
        {
            Api.Check(Api.ReleaseAvailableProviders(providers, count), "release the provider list");
        }
    }

    private OrtHandle CreateEnvironment()
    {
        nint env;
        // ORT copies the log id; a NUL-terminated stack buffer is all it needs.
        var logId = stackalloc byte[] { (byte)'g', (byte)'3', 0 };
        const int warningLevel = 2; // ORT_LOGGING_LEVEL_WARNING: keep ORT quiet unless something is wrong
        Api.Check(Api.CreateEnv(warningLevel, logId, &env), "create the ONNX Runtime environment");
        return new OrtHandle(env, Api.ReleaseEnv);
    }

    private OrtHandle CreateCpuMemoryInfo()
    {
        nint info;
        const int arenaAllocator = 1; // OrtArenaAllocator
        const int memTypeDefault = 0; // OrtMemTypeDefault
        Api.Check(Api.CreateCpuMemoryInfo(arenaAllocator, memTypeDefault, &info), "describe CPU memory");
        return new OrtHandle(info, Api.ReleaseMemoryInfo);
    }
}
