using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text.Json;
using G3.Retrieval.Embedded;

namespace G3.Bench;

/// <summary>
/// What widening float16 costs in the single-query scan, kernel by kernel, on one thread, over the
/// vectors files that store-scan built (so the same bytes): each repetition reads the float16 file
/// once as the floor, then scores every row with each way of widening, then does the same for the
/// float32 file, so all see the same moment of a shared machine. The ways: the store's 512-bit
/// kernel (three integer operations per 16 halves against a 2^112-scaled query), the earlier
/// 256-bit exact conversion in registers (HalfKernels), and a widening pass into a 32-row buffer
/// (TensorPrimitives.ConvertToSingle, as batches do) followed by the float32 kernel. .NET 10 has no
/// F16C or AVX512-FP16 intrinsic to try; whether TensorPrimitives uses hardware is its own business.
/// Usage: dotnet run -c Release --project bench/G3.Bench -- half-widening [--rows N] [--dim D] [--reps R] [--artifacts DIR] [--out FILE]
/// </summary>
public static unsafe class HalfWideningBench
{
    private const int BlockRows = 32;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static int Run(string[] args)
    {
        var options = BenchOptions.Parse(args, ["--rows", "--dim", "--reps", "--artifacts", "--out"]);
        if (options is null) return 2;
        var rows = options.Int("--rows", 1_000_000);
        var dim = options.Int("--dim", 768);
        var reps = options.Int("--reps", 50);
        var artifacts = Path.GetFullPath(options.Text("--artifacts", Path.Combine("bench", "artifacts")));
        var output = options.Text("--out", Path.Combine("bench", "results", string.Create(CultureInfo.InvariantCulture, $"half-widening-{rows}x{dim}.json")));
        var halfPath = Path.Combine(artifacts, string.Create(CultureInfo.InvariantCulture, $"store-float16-{rows}x{dim}"), "vectors.bin");
        var floatPath = Path.Combine(artifacts, string.Create(CultureInfo.InvariantCulture, $"store-float32-{rows}x{dim}"), "vectors.bin");
        foreach (var path in new[] { halfPath, floatPath })
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"{path} is missing: run `store-scan --rows {rows} --dim {dim}` first (bench/store-scan.sh does)");
                return 2;
            }
        if (!WideKernels.IsSupported || !WideHalfKernels.IsSupported || !HalfKernels.IsSupported)
        {
            Console.Error.WriteLine("half-widening compares the AVX-512 and AVX2 kernels; this machine lacks one of them");
            return 2;
        }

        var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
        using var halves = new MemoryFloor(halfPath, (long)rows * dim * 2);
        using var floats = new MemoryFloor(floatPath, (long)rows * dim * 4);
        var resident = new[] { halves.EnsureResident(), floats.EnsureResident() };

        var query = new float[dim];
        var random = new Random(5);
        for (var i = 0; i < dim; i++) query[i] = (float)(random.NextDouble() * 2 - 1) / MathF.Sqrt(dim);
        var scaled = new float[dim];
        if (!WideHalfKernels.TryScaleQuery(query, scaled)) throw new InvalidOperationException("a unit query always scales");
        var scores = new float[rows];
        var widened = new float[BlockRows * dim];

        var ways = new (string Name, Action Run)[]
        {
            ("float16_floor", () => halves.Measure(1)),
            ("float16_wide512_in_registers", () => Fused512(halves.Pointer, rows, dim, scaled, query, scores)),
            ("float16_avx2_exact_in_registers", () => Fused256(halves.Pointer, rows, dim, query, scores)),
            ("float16_widening_pass_then_float32", () => WideningPass(halves.Pointer, rows, dim, query, widened, scores)),
            ("float32_floor", () => floats.Measure(1)),
            ("float32_wide512", () => Float32(floats.Pointer, rows, dim, query, scores)),
        };
        foreach (var way in ways) way.Run(); // JIT, caches
        var times = ways.ToDictionary(w => w.Name, _ => new List<double>());
        var cpuTimes = ways.ToDictionary(w => w.Name, _ => new List<double>());
        for (var rep = 0; rep < reps; rep++)
            foreach (var (name, run) in ways)
            {
                var cpu = ProcessCpuClock.NowMs();
                var clock = Stopwatch.StartNew();
                run();
                times[name].Add(Math.Round(clock.Elapsed.TotalMilliseconds, 3));
                cpuTimes[name].Add(Math.Round(ProcessCpuClock.NowMs() - cpu, 3));
            }
        var loadAfter = File.ReadAllText("/proc/loadavg").Trim();

        var summary = times.ToDictionary(t => t.Key, t =>
        {
            var sorted = t.Value.Order().ToArray();
            var cpu = cpuTimes[t.Key].Order().ToArray();
            return new Dictionary<string, object>
            {
                ["p50_ms"] = sorted[(sorted.Length - 1) / 2], ["min_ms"] = sorted[0],
                ["cpu_p50_ms"] = cpu[(cpu.Length - 1) / 2], ["cpu_min_ms"] = cpu[0],
                ["per_rep_ms"] = t.Value, ["per_rep_cpu_ms"] = cpuTimes[t.Key],
            };
        });
        var report = new Dictionary<string, object>
        {
            ["command"] = "dotnet run -c Release --project bench/G3.Bench -- half-widening " + string.Join(' ', args),
            ["rows"] = rows,
            ["dim"] = dim,
            ["threads"] = 1,
            ["reps"] = reps,
            ["load_average_before"] = loadBefore,
            ["load_average_after"] = loadAfter,
            ["page_cache_resident_float16_float32"] = resident,
            ["page_cache_resident_after"] = new[] { halves.ResidentFraction(), floats.ResidentFraction() },
            ["ways"] = summary,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllText(output, JsonSerializer.Serialize(report, Indented));
        Console.WriteLine($"load average before {loadBefore}, after {loadAfter}; raw results in {output}");
        foreach (var (name, s) in summary)
        {
            var floor = summary[name.StartsWith("float16", StringComparison.Ordinal) ? "float16_floor" : "float32_floor"];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-36} p50 {s["p50_ms"],9} ms  min {s["min_ms"],9} ms  p50/own floor {(double)s["p50_ms"] / (double)floor["p50_ms"]:F2}  CPU p50 {s["cpu_p50_ms"],9} ms  CPU/own floor {(double)s["cpu_p50_ms"] / (double)floor["cpu_p50_ms"]:F2}"));
        }
        return 0;
    }

    private static void Fused512(byte* data, int rows, int dim, float[] scaled, float[] query, float[] scores)
    {
        fixed (float* s = scaled, q = query, o = scores)
            WideHalfKernels.ScoreRows((Half*)data, rows, s, q, dim, o);
    }

    private static void Fused256(byte* data, int rows, int dim, float[] query, float[] scores)
    {
        fixed (float* q = query, o = scores)
            HalfKernels.ScoreRows((Half*)data, rows, q, dim, o);
    }

    private static void WideningPass(byte* data, int rows, int dim, float[] query, float[] widened, float[] scores)
    {
        fixed (float* q = query, o = scores, w = widened)
            for (var r0 = 0; r0 < rows; r0 += BlockRows)
            {
                var n = Math.Min(BlockRows, rows - r0);
                TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>((Half*)data + (long)r0 * dim, n * dim), new Span<float>(w, n * dim));
                WideKernels.ScoreRows(w, n, q, dim, o + r0);
            }
    }

    private static void Float32(byte* data, int rows, int dim, float[] query, float[] scores)
    {
        fixed (float* q = query, o = scores)
            WideKernels.ScoreRows((float*)data, rows, q, dim, o);
    }
}
