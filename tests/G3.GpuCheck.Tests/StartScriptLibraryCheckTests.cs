namespace G3.GpuCheck.Tests;

/// <summary>
/// The bundle's start script names every CUDA library it cannot find and every place it looked: a fake
/// bundle (the committed scripts/bundle files and an empty stand-in for the CUDA provider), an empty
/// library folder on LD_LIBRARY_PATH, a fake python3 whose site-packages holds an empty NVIDIA wheel
/// folder, and a fake ldconfig with an empty cache, so nothing of the machine running the test is seen.
/// </summary>
public sealed class StartScriptLibraryCheckTests : IDisposable
{
    private static readonly string[] Listed = ["libcuda.so.1", "libcudart.so.13", "libcublas.so.13", "libcublasLt.so.13", "libcurand.so.10", "libcufft.so.12", "libcudnn.so.9"];
    private readonly string _root = Directory.CreateTempSubdirectory("g3-start-check-").FullName;
    private readonly string _bundle;
    private readonly string _emptyLib;
    private readonly string _wheelLib;
    private readonly string _fakeBin;

    public StartScriptLibraryCheckTests()
    {
        _bundle = Directory.CreateDirectory(Path.Combine(_root, "g3")).FullName;
        foreach (var file in new[] { "start.sh", "cuda-env.sh", "cuda-libraries.txt" })
            File.Copy(TestPaths.InRepo("scripts", "bundle", file), Path.Combine(_bundle, file));
        Directory.CreateDirectory(Path.Combine(_bundle, "app"));
        File.WriteAllBytes(Path.Combine(_bundle, "app", "libonnxruntime_providers_cuda.so"), []);
        _emptyLib = Directory.CreateDirectory(Path.Combine(_root, "empty-lib")).FullName;
        var site = Path.Combine(_root, "site-packages");
        _wheelLib = Directory.CreateDirectory(Path.Combine(site, "nvidia", "cublas", "lib")).FullName;
        _fakeBin = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
        Script("python3", $"#!/bin/sh\necho '{site}'\n");
        Script("ldconfig", "#!/bin/sh\nexit 0\n");
    }

    [Fact]
    public void Every_missing_library_is_named_with_the_places_looked_in()
    {
        var result = CheckLibraries();

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"{Listed.Length} CUDA libraries not found", result.Stderr);
        foreach (var lib in Listed) Assert.Contains(lib, result.Stderr);
        Assert.Contains(_emptyLib, result.Stderr);
        Assert.Contains(_wheelLib, result.Stderr); // the wheel's folder was put on LD_LIBRARY_PATH and searched
        Assert.Contains(Path.Combine(_root, "site-packages") + "/nvidia/*/lib", result.Stderr);
        Assert.Contains("ldconfig -p", result.Stderr);
    }

    [Fact]
    public void A_library_in_a_python_wheel_folder_is_found_and_no_longer_named()
    {
        File.WriteAllBytes(Path.Combine(_wheelLib, "libcublasLt.so.13"), []);
        File.WriteAllBytes(Path.Combine(_emptyLib, "libcudnn.so.9"), []);

        var result = CheckLibraries();

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"{Listed.Length - 2} CUDA libraries not found", result.Stderr);
        var named = result.Stderr.Split('\n')[0];
        Assert.DoesNotContain("libcublasLt.so.13", named);
        Assert.DoesNotContain("libcudnn.so.9", named);
        Assert.Contains("libcublas.so.13", named);
    }

    [Fact]
    public void Nothing_is_reported_missing_when_every_library_is_there()
    {
        foreach (var lib in Listed) File.WriteAllBytes(Path.Combine(_emptyLib, lib), []);

        var result = CheckLibraries();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("every CUDA library was found", result.Stdout);
    }

    [Fact]
    public void A_cpu_bundle_needs_no_cuda_library()
    {
        File.Delete(Path.Combine(_bundle, "app", "libonnxruntime_providers_cuda.so"));

        var result = CheckLibraries();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("CPU bundle, no CUDA libraries needed", result.Stdout);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private ProcessResult CheckLibraries() =>
        ProcessRun.Run("/bin/bash", [Path.Combine(_bundle, "start.sh"), "--check-libraries"], _root, new Dictionary<string, string?>
        {
            ["PATH"] = $"{_fakeBin}:/usr/bin:/bin",
            ["LD_LIBRARY_PATH"] = _emptyLib,
        });

    private void Script(string name, string text)
    {
        var path = Path.Combine(_fakeBin, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
