using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using G3.Core.Candidates;
using G3.Core.Ports;
using G3.Retrieval.Embedded;

namespace G3.Bench;

/// <summary>
/// The embedded store's half of bench/store-scan.sh: single-query latency at each worker count with
/// the memory-bandwidth floor (<see cref="MemoryFloor"/>) measured between queries, so both see the
/// same machine; the retrieval stage both ways (two searches side by side, as the pipeline did, and
/// the one-scan neighbour search it does now); batch-64 throughput; top-10 checked against an exact
/// float64 answer; the load average before and after. Every query's figures go to the raw JSON.
/// Usage: dotnet run -c Release --project bench/G3.Bench -- store-scan [--rows N] [--dim D] [--queries Q]
///        [--workers 1,2] [--elements float32,float16] [--artifacts DIR] [--out FILE] [--retrieval on|off]
/// Wall and process CPU time are both recorded for the floor and each query: on a CPU-starved machine
/// the wall times are mostly waiting for a core, and only the CPU-time ratio still compares scan and floor.
/// </summary>
public static class StoreScanBench
{
    private const int K = 10;
    private const int References = 15; // the pipeline's largest prompt: 15 similar + 15 dissimilar
    private const int BatchSize = 64;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchOptions.Parse(args, ["--rows", "--dim", "--queries", "--workers", "--elements", "--artifacts", "--out", "--retrieval"]);
        if (options is null) return 2;
        var rows = options.Int("--rows", 1_000_000);
        var dim = options.Int("--dim", 768);
        var queryCount = options.Int("--queries", 64);
        var workers = options.Ints("--workers", [1, 2]);
        var elements = options.Text("--elements", "float32,float16").Split(',')
            .Select(e => e == "float16" ? StoreElementType.Float16 : e == "float32" ? StoreElementType.Float32
                : throw new ArgumentException($"--elements: '{e}' is not float32 or float16")).ToList();
        var artifacts = Path.GetFullPath(options.Text("--artifacts", Path.Combine("bench", "artifacts")));
        var retrieval = options.Text("--retrieval", "on") switch
        {
            "on" => true,
            "off" => false,
            var other => throw new ArgumentException($"--retrieval: '{other}' is not on or off"),
        };
        var output = options.Text("--out", Path.Combine("bench", "results", Invariant($"store-scan-{rows}x{dim}.json")));
        if (queryCount < 50) Console.Error.WriteLine("note: fewer than 50 distinct queries; p50 and min are less stable");
        Directory.CreateDirectory(artifacts);

        var loadBefore = LoadAverage();
        var vectorsPath = Path.Combine(artifacts, Invariant($"vectors-{rows}x{dim}.f32"));
        var queriesPath = Path.Combine(artifacts, Invariant($"queries-{queryCount}x{dim}.f32"));
        EmbeddedStoreComparison.EnsureVectors(vectorsPath, rows, dim, seed: 1);
        EmbeddedStoreComparison.EnsureVectors(queriesPath, queryCount, dim, seed: 2);
        var queries = EmbeddedStoreComparison.ReadMatrix(queriesPath, queryCount, dim);
        var exact = ExactTop10(vectorsPath, rows, dim, queries, Path.Combine(artifacts, Invariant($"exact-top10-{rows}x{dim}-q{queryCount}.i32")));

        var runs = new List<Dictionary<string, object>>();
        foreach (var element in elements)
        {
            var name = element == StoreElementType.Float32 ? "float32" : "float16";
            var storeDir = Path.Combine(artifacts, Invariant($"store-{name}-{rows}x{dim}"));
            await EmbeddedStoreComparison.EnsureStoreAsync(storeDir, vectorsPath, rows, dim, element);
            var bytes = (long)rows * dim * (element == StoreElementType.Float32 ? 4 : 2);
            // The raw input is not scanned: leave the page cache to the file that is (and, after its
            // runs, drop that too before the next element's file needs the room).
            MemoryFloor.DropFromPageCache(vectorsPath);
            using var floor = new MemoryFloor(Path.Combine(storeDir, "vectors.bin"), bytes);
            foreach (var w in workers)
                runs.Add(await MeasureAsync(storeDir, dim, name, w, queries, exact, floor, retrieval));
            MemoryFloor.DropFromPageCache(Path.Combine(storeDir, "vectors.bin"));
        }
        var loadAfter = LoadAverage();

        var report = new Dictionary<string, object>
        {
            ["engine"] = "g3-embedded",
            ["command"] = "dotnet run -c Release --project bench/G3.Bench -- store-scan " + string.Join(' ', args),
            ["rows"] = rows,
            ["dim"] = dim,
            ["k"] = K,
            ["cores"] = Environment.ProcessorCount,
            ["load_average_before"] = loadBefore,
            ["load_average_after"] = loadAfter,
            ["runs"] = runs,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(report, Indented));
        Console.WriteLine(Invariant($"load average before {loadBefore}, after {loadAfter}; raw results in {output}"));
        Console.WriteLine($"{"element",-8} {"workers",7} {"p50 ms",8} {"min ms",8} {"floor p50",9} {"floor min",9} {"p50/floor",9} {"cpu/floor",9} {"2-scan p50",10} {"1-scan p50",10} {"batch64 q/s",11} {"top10 exact",11}");
        foreach (var r in runs)
        {
            Console.WriteLine(Invariant(
                $"{r["element"],-8} {r["workers"],7} {r["single_p50_ms"],8} {r["single_min_ms"],8} {r["floor_p50_ms"],9} {r["floor_min_ms"],9} {r["p50_over_floor"],9} {r["cpu_p50_over_floor"],9} {r["retrieval_two_scans_p50_ms"],10} {r["retrieval_one_scan_p50_ms"],10} {r["batch64_qps"],11} {r["top10_exact_recall"],11}"));
        }
        return 0;
    }

    private static async Task<Dictionary<string, object>> MeasureAsync(string storeDir, int dim, string element, int workers,
        float[][] queries, int[][] exact, MemoryFloor floor, bool retrieval)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var store = EmbeddedReferenceStore.Open(new EmbeddedStoreOptions
        {
            Directory = storeDir, ModelId = "bench-random", Dimension = dim, ReadOnly = true, VerifyChecksums = false,
            MaxDegreeOfParallelism = workers,
        });
        IReferenceStore port = store;
        for (var i = 0; i < 3; i++) await store.SearchAsync(queries[i], K, CancellationToken.None); // page in, JIT
        // The floor is a memory floor only if the file is in the page cache: make it so, and record it.
        var residentBefore = floor.EnsureResident();
        var memoryBefore = MemAvailableMb();
        floor.Measure(workers);

        var perQuery = new List<Dictionary<string, object>>();
        var ct = CancellationToken.None;
        for (var i = 0; i < queries.Length; i++)
        {
            // Interleaved: floor, query, floor, so both see the same moment of a shared machine.
            var cpu = ProcessCpuClock.NowMs();
            var floorMs = floor.Measure(workers);
            var floorCpuMs = ProcessCpuClock.NowMs() - cpu;
            var clock = Stopwatch.StartNew();
            cpu = ProcessCpuClock.NowMs();
            var hits = await store.SearchAsync(queries[i], K, ct);
            var queryCpuMs = ProcessCpuClock.NowMs() - cpu;
            var queryMs = clock.Elapsed.TotalMilliseconds;

            var found = hits.Select(h => EmbeddedStoreComparison.RowOf(h.Id)).ToHashSet();
            var entry = new Dictionary<string, object>
            {
                ["query"] = i,
                ["single_ms"] = Math.Round(queryMs, 3),
                ["floor_ms"] = Math.Round(floorMs, 3),
                ["single_cpu_ms"] = Math.Round(queryCpuMs, 3),
                ["floor_cpu_ms"] = Math.Round(floorCpuMs, 3),
                ["top10_exact_overlap"] = exact[i].Count(found.Contains),
            };
            if (retrieval)
            {
                clock.Restart();
                var similar = store.SearchAsync(queries[i], References, ct);
                var least = store.SearchLeastSimilarAsync(queries[i], References, ct);
                await Task.WhenAll(similar, least);
                entry["retrieval_two_scans_ms"] = Math.Round(clock.Elapsed.TotalMilliseconds, 3);
                clock.Restart();
                await port.SearchNeighboursAsync(queries[i], References, References, ct);
                entry["retrieval_one_scan_ms"] = Math.Round(clock.Elapsed.TotalMilliseconds, 3);
            }
            perQuery.Add(entry);
        }

        var batches = queries.Length / BatchSize;
        double batchQps = double.NaN;
        if (batches > 0)
        {
            var batchClock = Stopwatch.StartNew();
            for (var b = 0; b < batches; b++)
                await store.SearchBatchAsync(queries.Skip(b * BatchSize).Take(BatchSize).Select(q => (ReadOnlyMemory<float>)q).ToArray(), K, ct);
            batchQps = Math.Round(batches * BatchSize / batchClock.Elapsed.TotalSeconds, 1);
        }

        var residentAfter = floor.ResidentFraction();
        var memoryAfter = MemAvailableMb();
        if (residentBefore < 0.999 || residentAfter < 0.999)
            Console.Error.WriteLine(Invariant($"warning: only {residentBefore:P1} -> {residentAfter:P1} of the vectors file was in the page cache; the floor and the scan partly read the disk"));

        double Median(string key) => Percentile(perQuery.Select(q => (double)q[key]).Order().ToArray(), 0.5);
        double Min(string key) => perQuery.Min(q => (double)q[key]);
        var result = new Dictionary<string, object>
        {
            ["element"] = element,
            ["workers"] = workers,
            ["queries"] = perQuery.Count,
            ["scanned_bytes"] = floor.Bytes,
            ["single_p50_ms"] = Math.Round(Median("single_ms"), 3),
            ["single_min_ms"] = Math.Round(Min("single_ms"), 3),
            ["floor_p50_ms"] = Math.Round(Median("floor_ms"), 3),
            ["floor_min_ms"] = Math.Round(Min("floor_ms"), 3),
            ["page_cache_resident_before"] = residentBefore,
            ["page_cache_resident_after"] = residentAfter,
            ["mem_available_mb_before"] = memoryBefore,
            ["mem_available_mb_after"] = memoryAfter,
            ["floor_best_gb_per_s"] = Math.Round(floor.Bytes / (Min("floor_ms") / 1000) / 1e9, 2),
            ["p50_over_floor"] = Math.Round(Median("single_ms") / Median("floor_ms"), 2),
            ["single_cpu_p50_ms"] = Math.Round(Median("single_cpu_ms"), 3),
            ["floor_cpu_p50_ms"] = Math.Round(Median("floor_cpu_ms"), 3),
            ["cpu_p50_over_floor"] = Math.Round(Median("single_cpu_ms") / Median("floor_cpu_ms"), 2),
            ["retrieval_two_scans_p50_ms"] = retrieval ? Math.Round(Median("retrieval_two_scans_ms"), 3) : "not measured (--retrieval off)",
            ["retrieval_one_scan_p50_ms"] = retrieval ? Math.Round(Median("retrieval_one_scan_ms"), 3) : "not measured (--retrieval off)",
            ["batch64_qps"] = double.IsNaN(batchQps) ? "n/a (fewer than 64 queries)" : batchQps,
            ["top10_exact_recall"] = Math.Round(perQuery.Sum(q => (int)q["top10_exact_overlap"]) / (double)(K * perQuery.Count), 4),
            ["per_query"] = perQuery,
        };
        Console.Error.WriteLine(Invariant($"{element} workers={workers}: p50 {result["single_p50_ms"]} ms, floor p50 {result["floor_p50_ms"]} ms, CPU p50 {result["single_cpu_p50_ms"]} vs floor {result["floor_cpu_p50_ms"]} ms, resident {residentBefore} -> {residentAfter}"));
        return result;
    }

    /// <summary>Exact top-10 rows per query by float64 inner product over the raw vectors (cached).</summary>
    private static int[][] ExactTop10(string vectorsPath, int rows, int dim, float[][] queries, string cache)
    {
        if (File.Exists(cache) && new FileInfo(cache).Length == (long)queries.Length * K * sizeof(int))
            return MemoryMarshal.Cast<byte, int>(File.ReadAllBytes(cache)).ToArray().Chunk(K).ToArray();
        Console.Error.WriteLine($"computing the exact float64 top-{K} of {queries.Length} queries over {rows} rows");
        var heaps = queries.Select(_ => new PriorityQueue<int, double>()).ToArray();
        using var input = new FileStream(vectorsPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        const int chunk = 4096;
        var buffer = new byte[chunk * dim * sizeof(float)];
        for (var start = 0; start < rows; start += chunk)
        {
            var n = Math.Min(chunk, rows - start);
            input.ReadExactly(buffer, 0, n * dim * sizeof(float));
            var block = MemoryMarshal.Cast<byte, float>(buffer.AsSpan(0, n * dim * sizeof(float))).ToArray();
            Parallel.For(0, queries.Length, q =>
            {
                var query = queries[q];
                var heap = heaps[q];
                for (var r = 0; r < n; r++)
                {
                    double sum = 0;
                    var offset = r * dim;
                    for (var d = 0; d < dim; d++) sum += (double)block[offset + d] * query[d];
                    if (heap.Count < K) heap.Enqueue(start + r, sum);
                    else if (heap.TryPeek(out _, out var worst) && sum > worst) heap.EnqueueDequeue(start + r, sum);
                }
            });
        }
        var top = heaps.Select(h => h.UnorderedItems.Select(x => x.Element).ToArray()).ToArray();
        File.WriteAllBytes(cache, MemoryMarshal.AsBytes(top.SelectMany(t => t).ToArray().AsSpan()).ToArray());
        return top;
    }

    /// <summary>MemAvailable from /proc/meminfo in MB (-1 where unreadable): how much room the page cache had.</summary>
    private static long MemAvailableMb()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
            return line is null ? -1 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

/// <summary>"--name value" options; an unknown option or a missing value is an error, never ignored.</summary>
internal sealed class BenchOptions
{
    private readonly Dictionary<string, string> _values;

    private BenchOptions(Dictionary<string, string> values) => _values = values;

    public static BenchOptions? Parse(string[] args, IReadOnlyCollection<string> known)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!known.Contains(args[i]) || i + 1 >= args.Length)
            {
                Console.Error.WriteLine($"unknown option or missing value: '{args[i]}'; options: {string.Join(", ", known)}");
                return null;
            }
            values[args[i]] = args[i + 1];
        }
        return new BenchOptions(values);
    }

    public string Text(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public int[] Ints(string name, int[] fallback) =>
        _values.TryGetValue(name, out var v) ? v.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray() : fallback;
}
