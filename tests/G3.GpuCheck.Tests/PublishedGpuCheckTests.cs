using System.Text.Json.Nodes;

namespace G3.GpuCheck.Tests;

/// <summary>
/// The bundle's gpu-check runs without the .NET SDK: bench/gpu/G3.GpuCheck is published self-contained for
/// linux-x64 (the CPU build, as on a machine without a GPU), laid out as scripts/gpu-bundle.sh lays it out,
/// and run with no dotnet on PATH and DOTNET_ROOT unset. The CPU rows carry figures; every CUDA row says
/// "CUDA provider unavailable: …"; the JSON file says the same.
/// </summary>
public sealed class PublishedGpuCheckTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("g3-gpu-check-publish-").FullName;

    [Fact]
    public void The_published_check_runs_without_dotnet_and_reports_cpu_rows_and_why_cuda_is_absent()
    {
        var bundle = Directory.CreateDirectory(Path.Combine(_root, "g3")).FullName;
        var publish = ProcessRun.Run(DotnetHost(), ["publish", TestPaths.InRepo("bench", "gpu", "G3.GpuCheck"), "-c", "Release", "-r", "linux-x64",
            "--self-contained", "true", "--artifacts-path", Path.Combine(_root, "build"), "-o", Path.Combine(bundle, "app"), "-nologo", "-v", "q"],
            _root, timeout: TimeSpan.FromMinutes(8));
        Assert.True(publish.ExitCode == 0, publish.ToString());
        foreach (var file in new[] { "gpu-check", "cuda-env.sh", "cuda-libraries.txt" })
            File.Copy(TestPaths.InRepo("scripts", "bundle", file), Path.Combine(bundle, file));
        File.SetUnixFileMode(Path.Combine(bundle, "gpu-check"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var model = Directory.CreateDirectory(Path.Combine(bundle, "models", "g3-mini")).FullName;
        foreach (var file in Directory.EnumerateFiles(TestPaths.InRepo("models", "g3-mini")))
            File.Copy(file, Path.Combine(model, Path.GetFileName(file)));

        var environment = new Dictionary<string, string?>
        {
            ["PATH"] = PathWithoutDotnet(Path.Combine(_root, "bin")),
            ["DOTNET_ROOT"] = null,
            ["DOTNET_HOST_PATH"] = null,
        };
        var noDotnet = ProcessRun.Run("/bin/bash", ["-c", "command -v dotnet"], _root, environment);
        Assert.True(noDotnet.ExitCode != 0, "dotnet is still reachable: " + noDotnet);

        var json = Path.Combine(_root, "report.json");
        var run = ProcessRun.Run(Path.Combine(bundle, "gpu-check"), ["--seconds", "0.2", "--out", json], _root, environment);

        Assert.True(run.ExitCode == 3, "exit 3 (CUDA unavailable) expected: " + run);
        var table = run.Stdout.Split('\n');
        foreach (var batch in new[] { 1, 32, 128 })
            Assert.Contains(table, l => l.StartsWith($"| g3-mini | model-only images/s (input preprocessed in host memory) | CPU | fp32 | {batch} | ", StringComparison.Ordinal)
                                        && l.EndsWith(" images/s |", StringComparison.Ordinal));
        var cudaRows = table.Where(l => l.Contains("| CUDA |", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(cudaRows);
        Assert.All(cudaRows, l => Assert.Contains("| CUDA provider unavailable: this build uses the CPU-only ONNX Runtime", l));

        var rows = JsonNode.Parse(File.ReadAllText(json))!["rows"]!.AsArray().Select(r => r!.AsObject()).ToArray();
        var cpu = rows.Where(r => (string?)r["provider"] == "CPU").ToArray();
        Assert.Equal(3, cpu.Length);
        Assert.All(cpu, r => Assert.True((double)r["value"]! > 0));
        var cuda = rows.Where(r => (string?)r["provider"] == "CUDA").ToArray();
        Assert.Equal(cudaRows.Length, cuda.Length);
        Assert.All(cuda, r =>
        {
            Assert.Null(r["value"]);
            Assert.StartsWith("CUDA provider unavailable: ", (string?)r["note"]);
        });
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>The dotnet running these tests, to publish with.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>
    /// This process's PATH with no dotnet on it: a folder that holds dotnet (here /usr/bin, beside bash) is
    /// replaced by <paramref name="bin"/>, which links to every other program of it.
    /// </summary>
    private static string PathWithoutDotnet(string bin)
    {
        Directory.CreateDirectory(bin);
        var dirs = new List<string>();
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries).Distinct())
        {
            if (!File.Exists(Path.Combine(dir, "dotnet")))
            {
                dirs.Add(dir);
                continue;
            }
            foreach (var program in Directory.EnumerateFiles(dir))
                if (Path.GetFileName(program) != "dotnet" && !File.Exists(Path.Combine(bin, Path.GetFileName(program))))
                    File.CreateSymbolicLink(Path.Combine(bin, Path.GetFileName(program)), program);
        }
        return string.Join(':', [bin, .. dirs]);
    }
}
