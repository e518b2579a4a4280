using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Retrieval.Embedded;
using G3.Retrieval.Embedded.Hnsw;

namespace G3.Bench;

/// <summary>
/// The .NET half of bench/ann.sh: the embedded store's exact scan against its HNSW index (USearch graph for the
/// most similar, optionally with the nearest cells, and the cells least similar for the least similar, all rescored from the
/// cell-ordered copy of the vectors) on the same clustered unit vectors. Writes the vectors and
/// queries for the FAISS half, builds a float16 store, builds the index at each thread count (timed), then answers
/// the pipeline's request (10 most + 10 least similar, one query at a time, ONE thread) exactly and through the index
/// at every point of the search grid: p50/p99 of both ends together and of each end alone, recall@10 at both ends,
/// how much more similar the returned least similar references are than the exact ones, and the page faults taken.
/// Usage: ann [--rows N] [--dim D] [--queries Q] [--threads 1,2 | --reuse] [--M 16] [--efc 128] [--storage Float16]
///   [--cells 0] [--ef 64,128,256,512] [--near 40] [--near-cells 2] [--far-cells 4] [--far-rows 8192] [--in-memory 1,0] [--note TEXT] [--artifacts DIR]
/// --reuse times an index already built with the same --M/--efc/--storage/--cells (no build): the timing-only run.
/// </summary>
public static class AnnBench
{
    private const int K = 10;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = EmbeddedStoreComparison.IntOption(args, "--rows", 50_000);
        var dim = EmbeddedStoreComparison.IntOption(args, "--dim", 768);
        var queryCount = EmbeddedStoreComparison.IntOption(args, "--queries", 100);
        var reuse = args.Contains("--reuse");
        var threadCounts = reuse ? [] : IntList(EmbeddedStoreComparison.StringOption(args, "--threads", "1,2"));
        var settings = new HnswSettings
        {
            Connectivity = EmbeddedStoreComparison.IntOption(args, "--M", 16),
            EfConstruction = EmbeddedStoreComparison.IntOption(args, "--efc", 128),
            Storage = Enum.Parse<HnswStorage>(EmbeddedStoreComparison.StringOption(args, "--storage", nameof(HnswStorage.Float16)), ignoreCase: true),
            Cells = EmbeddedStoreComparison.IntOption(args, "--cells", 0),
        };
        var efs = IntList(EmbeddedStoreComparison.StringOption(args, "--ef", "64,128,256,512"));
        var nears = IntList(EmbeddedStoreComparison.StringOption(args, "--near", settings.NearCandidates.ToString(CultureInfo.InvariantCulture)));
        var nearCells = IntList(EmbeddedStoreComparison.StringOption(args, "--near-cells", settings.NearCells.ToString(CultureInfo.InvariantCulture)));
        var farCells = IntList(EmbeddedStoreComparison.StringOption(args, "--far-cells", settings.FarCells.ToString(CultureInfo.InvariantCulture)));
        var farRows = IntList(EmbeddedStoreComparison.StringOption(args, "--far-rows", settings.FarRows.ToString(CultureInfo.InvariantCulture)));
        var inMemory = IntList(EmbeddedStoreComparison.StringOption(args, "--in-memory", settings.CellVectorsInMemory ? "1" : "0"));
        var note = EmbeddedStoreComparison.StringOption(args, "--note", "");
        var artifacts = Path.GetFullPath(EmbeddedStoreComparison.StringOption(args, "--artifacts", Path.Combine("bench", "artifacts")));
        Directory.CreateDirectory(artifacts);
        var loadBefore = LoadAverage();

        var vectorsPath = Path.Combine(artifacts, Inv($"ann-vectors-{rows}x{dim}.f32"));
        var queriesPath = Path.Combine(artifacts, Inv($"ann-queries-{queryCount}x{dim}.f32"));
        var centres = Clustered.Centres(dim, seed: 11);
        Clustered.Write(vectorsPath, rows, dim, centres, seed: 12, noise: Clustered.RowNoise);
        Clustered.Write(queriesPath, queryCount, dim, centres, seed: 13, noise: Clustered.QueryNoise);
        var queries = EmbeddedStoreComparison.ReadMatrix(queriesPath, queryCount, dim);

        var storeDir = Path.Combine(artifacts, Inv($"ann-store-{rows}x{dim}"));
        await EnsureStoreAsync(storeDir, vectorsPath, rows, dim);
        var builds = new List<Dictionary<string, object>>();
        foreach (var threads in threadCounts)
        {
            foreach (var f in Directory.EnumerateFiles(storeDir, "hnsw*")) File.Delete(f);
            settings.BuildThreads = threads;
            using var store = EmbeddedReferenceStore.Open(Options(storeDir, dim, settings, readOnly: false));
            var cpuBefore = ProcessCpuClock.NowMs();
            var result = store.BuildHnswIndex(new HnswBuildRun(settings) { CheckpointEvery = TimeSpan.FromMinutes(5) }, null, CancellationToken.None);
            var file = Directory.EnumerateFiles(storeDir, "hnsw-*.usearch").Single();
            builds.Add(new()
            {
                ["threads"] = threads, ["seconds"] = Math.Round(result.Elapsed.TotalSeconds, 1),
                ["vectors_per_s"] = Math.Round(result.VectorsPerSecond, 0),
                ["cpu_seconds"] = Math.Round((ProcessCpuClock.NowMs() - cpuBefore) / 1000, 1), ["file_mb"] = Math.Round(new FileInfo(file).Length / 1048576.0, 1),
                ["cells_mb"] = Math.Round(new FileInfo(Path.ChangeExtension(file, ".cells")).Length / 1048576.0, 1),
                ["cell_vectors_mb"] = Math.Round(new FileInfo(Path.ChangeExtension(file, ".cellvectors")).Length / 1048576.0, 1),
                ["load_after"] = LoadAverage(),
            });
            Console.Error.WriteLine("build " + JsonSerializer.Serialize(builds[^1]));
        }
        string indexStatus;
        using (var check = EmbeddedReferenceStore.Open(Options(storeDir, dim, settings, readOnly: true)))
        {
            indexStatus = check.IndexStatus;
            // --reuse must time the index of the asked shape, not whatever an earlier run left.
            var record = HnswRecord.TryRead(Path.Combine(storeDir, "hnsw.json"));
            if (check.HnswRows != rows || record is null || !record.SameShape("bench-clustered", dim, settings) || record.Cells != settings.CellCount(rows))
            {
                Console.Error.WriteLine($"ann: no index of this shape to time in {storeDir} ({indexStatus}); build it first (drop --reuse)");
                return 2;
            }
        }

        // The truth: the exact scan of the same store on one thread, and its latency on this machine now.
        ReferenceNeighbours[] truth;
        Dictionary<string, object> exactRow;
        // Kept open: every grid point also times the exact scan query by query, interleaved with its own.
        using var exact = EmbeddedReferenceStore.Open(Options(storeDir, dim, null, readOnly: true) with { MaxDegreeOfParallelism = 1 });
        {
            await exact.SearchNeighboursAsync(queries[0], K, K, CancellationToken.None);
            var (answers, ms, faults, cpuMs) = await TimeAsync(exact, queries, K, K);
            truth = answers;
            exactRow = Row("exact", ms, faults, answers, answers);
            exactRow["cpu_p50_ms"] = Percentile(cpuMs, 0.5);
            exactRow["single_thread"] = true;
            Console.Error.WriteLine("exact " + JsonSerializer.Serialize(exactRow));
        }

        var hnswRows = new List<Dictionary<string, object>>();
        foreach (var ef in efs)
        foreach (var near in nears)
        foreach (var nearCellCount in nearCells)
        foreach (var far in farCells)
        foreach (var farRowCount in farRows)
        foreach (var memory in inMemory)
        {
            var search = new HnswSettings
            {
                Connectivity = settings.Connectivity, EfConstruction = settings.EfConstruction, Storage = settings.Storage, Cells = settings.Cells,
                EfSearch = ef, NearCandidates = near, NearCells = nearCellCount, FarCells = far, FarRows = farRowCount, CellVectorsInMemory = memory != 0,
            };
            using var store = EmbeddedReferenceStore.Open(Options(storeDir, dim, search, readOnly: true) with { MaxDegreeOfParallelism = 1 });
            // One untimed pass: the first touch of the mapped index pages is a start-up cost, not a query's.
            await TimeAsync(store, queries, K, K);
            var (got, ms, faults, cpuMs) = await TimeAsync(store, queries, K, K);
            var row = Row("usearch-hnsw+cells", ms, faults, got, truth);
            row["cpu_p50_ms"] = Percentile(cpuMs, 0.5);
            row["ef_search"] = ef;
            row["near_candidates"] = near;
            row["near_cells"] = nearCellCount;
            row["far_cells"] = far;
            row["far_rows"] = farRowCount;
            row["cell_vectors_in_memory"] = memory != 0;
            var (_, nearMs, _, nearCpu) = await TimeAsync(store, queries, K, 0);
            var (_, farMs, _, farCpu) = await TimeAsync(store, queries, 0, K);
            row["near_only_p50_ms"] = Percentile(nearMs, 0.5);
            row["near_only_p99_ms"] = Percentile(nearMs, 0.99);
            row["far_only_p50_ms"] = Percentile(farMs, 0.5);
            row["far_only_p99_ms"] = Percentile(farMs, 0.99);
            row["near_only_cpu_p50_ms"] = Percentile(nearCpu, 0.5);
            row["far_only_cpu_p50_ms"] = Percentile(farCpu, 0.5);
            row["speedup_p50_vs_exact"] = Math.Round((double)exactRow["p50_ms"] / (double)row["p50_ms"], 1);
            row["speedup_cpu_p50_vs_exact"] = Math.Round((double)exactRow["cpu_p50_ms"] / (double)row["cpu_p50_ms"], 1);
            // The same ratio with each query timed on the exact scan and then on the index, back to back, so both see
            // the machine in the same state (on this VM memory speed drifted by up to 1.6x over an hour).
            var (pairedExact, pairedIndex) = await InterleavedAsync(exact, store, queries);
            row["interleaved_exact_p50_ms"] = Percentile(pairedExact, 0.5);
            row["interleaved_p50_ms"] = Percentile(pairedIndex, 0.5);
            row["speedup_p50_interleaved"] = Math.Round(Percentile(pairedExact, 0.5) / Percentile(pairedIndex, 0.5), 1);
            row["speedup_median_of_pairs"] = Math.Round(Percentile(pairedExact.Zip(pairedIndex, (e, h) => e / h).ToArray(), 0.5), 1);
            using var self = Process.GetCurrentProcess();
            row["rss_mb"] = Math.Round(self.WorkingSet64 / 1048576.0, 1);
            hnswRows.Add(row);
            Console.Error.WriteLine("hnsw " + JsonSerializer.Serialize(row));
        }

        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["engine"] = "g3-embedded+usearch", ["usearch"] = Cloud.Unum.USearch.USearchCapabilities.Version(),
            ["rows"] = rows, ["dim"] = dim, ["k"] = K, ["queries"] = queryCount, ["store_element"] = "float16",
            ["hnsw"] = new Dictionary<string, object>
            {
                ["M"] = settings.Connectivity, ["efConstruction"] = settings.EfConstruction, ["storage"] = settings.Storage.ToString(),
                ["cells"] = settings.CellCount(rows), ["index"] = indexStatus,
            },
            ["data"] = Inv($"{Clustered.Centres(dim, 11).Length} Gaussian clusters, row noise {Clustered.RowNoise}, query noise {Clustered.QueryNoise}, unit length"),
            ["timing"] = "one query at a time on one thread (MaxDegreeOfParallelism 1), after one untimed pass over the queries",
            ["reused_index"] = reuse, ["note"] = note,
            ["cores"] = Environment.ProcessorCount, ["load_before"] = loadBefore, ["load_after"] = LoadAverage(),
            ["builds"] = builds, ["exact"] = exactRow, ["hnsw_search"] = hnswRows,
        }, Indented);
        await File.WriteAllTextAsync(Path.Combine(artifacts, Inv($"ann-embedded-{rows}x{dim}.json")), json);
        Console.WriteLine(json);
        return 0;
    }

    /// <summary>Each query's answer and latency (ms), one at a time, and the page faults (minor, major) the pass took.</summary>
    /// <summary>
    /// Each query's answer and latency (ms), one at a time, and the page faults (minor, major) the pass took.
    /// Also each query's process CPU time: on a loaded machine wall time includes waiting for a core, CPU time does not.
    /// </summary>
    private static async Task<(ReferenceNeighbours[] Answers, double[] Ms, long[] Faults, double[] CpuMs)> TimeAsync(EmbeddedReferenceStore store, float[][] queries, int kMost, int kLeast)
    {
        var answers = new ReferenceNeighbours[queries.Length];
        var ms = new double[queries.Length];
        var cpuMs = new double[queries.Length];
        var before = PageFaults();
        for (var q = 0; q < queries.Length; q++)
        {
            var cpu = ProcessCpuClock.NowMs();
            var clock = Stopwatch.StartNew();
            answers[q] = await store.SearchNeighboursAsync(queries[q], kMost, kLeast, CancellationToken.None);
            ms[q] = clock.Elapsed.TotalMilliseconds;
            cpuMs[q] = ProcessCpuClock.NowMs() - cpu;
        }
        var after = PageFaults();
        return (answers, ms, [after[0] - before[0], after[1] - before[1]], cpuMs);
    }

    /// <summary>Each query timed on <paramref name="exact"/> and at once on <paramref name="index"/> (both ends, one thread each).</summary>
    private static async Task<(double[] Exact, double[] Index)> InterleavedAsync(EmbeddedReferenceStore exact, EmbeddedReferenceStore index, float[][] queries)
    {
        var exactMs = new double[queries.Length];
        var indexMs = new double[queries.Length];
        for (var q = 0; q < queries.Length; q++)
        {
            var clock = Stopwatch.StartNew();
            await exact.SearchNeighboursAsync(queries[q], K, K, CancellationToken.None);
            exactMs[q] = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            await index.SearchNeighboursAsync(queries[q], K, K, CancellationToken.None);
            indexMs[q] = clock.Elapsed.TotalMilliseconds;
        }
        return (exactMs, indexMs);
    }

    private static Dictionary<string, object> Row(string engine, double[] ms, long[] faults, ReferenceNeighbours[] got, ReferenceNeighbours[] truth)
    {
        double near = 0, far = 0, gap = 0;
        for (var q = 0; q < got.Length; q++)
        {
            near += got[q].Similar.Select(p => p.Id).Intersect(truth[q].Similar.Select(p => p.Id)).Count() / (double)K;
            far += got[q].Dissimilar.Select(p => p.Id).Intersect(truth[q].Dissimilar.Select(p => p.Id)).Count() / (double)K;
            gap += got[q].Dissimilar.Average(p => p.Similarity) - truth[q].Dissimilar.Average(p => p.Similarity);
        }
        return new()
        {
            ["engine"] = engine,
            ["p50_ms"] = Percentile(ms, 0.5), ["p99_ms"] = Percentile(ms, 0.99),
            ["recall10_most"] = Math.Round(near / got.Length, 4), ["recall10_least"] = Math.Round(far / got.Length, 4),
            ["least_mean_similarity_gap"] = Math.Round(gap / got.Length, 5),
            ["minor_faults"] = faults[0], ["major_faults"] = faults[1],
        };
    }

    private static double Percentile(double[] ms, double p)
    {
        var sorted = ms.Order().ToArray();
        return Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)], 3);
    }

    private static int[] IntList(string text) =>
        text.Length == 0 ? [] : text.Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();

    private static EmbeddedStoreOptions Options(string dir, int dim, HnswSettings? hnsw, bool readOnly) => new()
    {
        Directory = dir, ModelId = "bench-clustered", Dimension = dim, Hnsw = hnsw, ReadOnly = readOnly, VerifyChecksums = false,
    };

    private static async Task EnsureStoreAsync(string dir, string vectorsPath, int rows, int dim)
    {
        if (File.Exists(Path.Combine(dir, "manifest.json"))) return;
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        using var store = EmbeddedReferenceStore.Create(new EmbeddedStoreOptions
        {
            Directory = dir, ModelId = "bench-clustered", Dimension = dim, ElementType = StoreElementType.Float16,
        });
        using var input = File.OpenRead(vectorsPath);
        var bytes = new byte[dim * sizeof(float)];
        for (var start = 0; start < rows; start += 10_000)
        {
            var batch = new ReferenceRecord[Math.Min(10_000, rows - start)];
            for (var i = 0; i < batch.Length; i++)
            {
                input.ReadExactly(bytes);
                batch[i] = new ReferenceRecord(Inv($"ann/{start + i}.jpg"), MemoryMarshal.Cast<byte, float>(bytes).ToArray(), new GeoPoint(0, 0));
            }
            await store.UpsertAsync(batch, CancellationToken.None);
        }
    }

    /// <summary>Minor and major page faults of this process so far (/proc/self/stat fields 10 and 12).</summary>
    private static long[] PageFaults()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return [long.Parse(fields[7], CultureInfo.InvariantCulture), long.Parse(fields[9], CultureInfo.InvariantCulture)];
        }
        catch (IOException)
        {
            return [0, 0];
        }
    }

    private static double[] LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
