using System.Globalization;
using G3.Alignment.Onnx;

namespace G3.Bench;

/// <summary>Finds checkout files from wherever BenchmarkDotNet runs the generated process.</summary>
internal static class BenchPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Require(string relative, string hint)
    {
        var path = Path.Combine(RepoRoot, relative);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{relative} is missing: {hint}", path);
    }

    /// <summary>CPU, G3_BENCH_THREADS intra-op threads (default 1), the same count bench_torch.py gives PyTorch.</summary>
    public static OnnxSessionOptions SessionOptions() => new()
    {
        ExecutionProvider = OnnxExecutionProvider.Cpu,
        IntraOpThreads = Threads,
        InterOpThreads = 1,
    };

    public static int Threads =>
        int.TryParse(Environment.GetEnvironmentVariable("G3_BENCH_THREADS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "G3.sln"))) return dir.FullName;
        throw new InvalidOperationException("G3.sln not found above " + AppContext.BaseDirectory);
    }
}
