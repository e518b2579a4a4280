using System.Runtime.InteropServices;

namespace G3.Alignment.Onnx.Native;

/// <summary>
/// Finds and loads libonnxruntime. Order: the configured path (authoritative: if set and unloadable,
/// that is the error), then the copy scripts/bootstrap.sh installs under the checkout's
/// .deps/onnxruntime/1.30.0/, then the system loader's libonnxruntime.so.1.
/// </summary>
internal static class OrtLibraryLocator
{
    public const string BundledVersion = "1.30.0";
    public const string LibraryFileName = "libonnxruntime.so.1";

    public static (nint Handle, string Path) Load(string? configuredPath)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            var full = Path.GetFullPath(configuredPath);
            if (!File.Exists(full))
                throw new OnnxRuntimeException(
                    $"ONNX Runtime library '{full}' (configured) does not exist; fix the configured path or leave it empty to use the bootstrap's copy");
            try
            {
                return (NativeLibrary.Load(full), full);
            }
            catch (DllNotFoundException e)
            {
                throw new OnnxRuntimeException($"ONNX Runtime library '{full}' (configured) could not be loaded: {e.Message}", e);
            }
        }

        var tried = new List<string>();
        var bundled = FindBundled();
        if (bundled is not null)
        {
            tried.Add(bundled);
            if (NativeLibrary.TryLoad(bundled, out var handle)) return (handle, bundled);
        }
        else
        {
            tried.Add($".deps/onnxruntime/{BundledVersion}/{LibraryFileName} under the folder holding G3.sln (none found above {AppContext.BaseDirectory})");
        }

        tried.Add(LibraryFileName + " (system loader)");
        if (NativeLibrary.TryLoad(LibraryFileName, out var system)) return (system, LibraryFileName);

        throw new OnnxRuntimeException(
            "ONNX Runtime native library not found. Run scripts/bootstrap.sh (installs ONNX Runtime " + BundledVersion +
            " into .deps/), install libonnxruntime.so.1 system-wide, or configure its path. Tried: " + string.Join("; ", tried));
    }

    /// <summary>The bootstrap's copy, found by walking up from the app's folder to the checkout root.</summary>
    private static string? FindBundled()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "G3.sln"))) continue;
            var candidate = Path.Combine(dir.FullName, ".deps", "onnxruntime", BundledVersion, LibraryFileName);
            return File.Exists(candidate) ? candidate : null;
        }
        return null;
    }
}
