using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Retrieval.Embedded;

namespace G3.Bench;

/// <summary>
/// The embedded store's half of bench/store-vs-faiss.sh: writes N deterministic random unit vectors
/// (and the queries) to bench/artifacts/ for the FAISS script, builds a float32 and a float16 store from
/// them, then measures top-10 single-query latency (p50/p99), batch-64 throughput and resident memory.
/// Usage: dotnet run -c Release --project bench/G3.Bench -- store-vs-faiss [--rows N] [--dim D] [--queries Q] [--artifacts DIR]
/// </summary>
public static class EmbeddedStoreComparison
{
    private const int K = 10;
    private const int BatchSize = 64;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = IntOption(args, "--rows", 200_000);
        var dim = IntOption(args, "--dim", 768);
        var queryCount = IntOption(args, "--queries", 256);
        var singles = IntOption(args, "--single", 100);
        var artifacts = Path.GetFullPath(StringOption(args, "--artifacts", Path.Combine("bench", "artifacts")));
        Directory.CreateDirectory(artifacts);

        var vectorsPath = Path.Combine(artifacts, Invariant($"vectors-{rows}x{dim}.f32"));
        var queriesPath = Path.Combine(artifacts, Invariant($"queries-{queryCount}x{dim}.f32"));
        EnsureVectors(vectorsPath, rows, dim, seed: 1);
        EnsureVectors(queriesPath, queryCount, dim, seed: 2);
        var queries = ReadMatrix(queriesPath, queryCount, dim);

        var results = new List<Dictionary<string, object>>();
        foreach (var type in new[] { StoreElementType.Float32, StoreElementType.Float16 })
        {
            var storeDir = Path.Combine(artifacts, Invariant($"store-{type.ToString().ToLowerInvariant()}-{rows}x{dim}"));
            await EnsureStoreAsync(storeDir, vectorsPath, rows, dim, type);
            results.Add(await MeasureAsync(storeDir, dim, type, queries, singles));
        }

        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["engine"] = "g3-embedded",
            ["rows"] = rows,
            ["dim"] = dim,
            ["k"] = K,
            ["cores"] = Environment.ProcessorCount,
            ["results"] = results,
        }, Indented);
        var output = Path.Combine(artifacts, Invariant($"embedded-{rows}x{dim}.json"));
        await File.WriteAllTextAsync(output, json);
        Console.WriteLine(json);
        return 0;
    }

    private static async Task<Dictionary<string, object>> MeasureAsync(string storeDir, int dim, StoreElementType type, float[][] queries, int singles)
    {
        // Drop what building left behind so the figures describe a store that was just opened.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var openClock = Stopwatch.StartNew();
        using var store = EmbeddedReferenceStore.Open(new EmbeddedStoreOptions
        {
            Directory = storeDir, ModelId = "bench-random", Dimension = dim, ReadOnly = true, VerifyChecksums = false,
        });
        var openSeconds = openClock.Elapsed.TotalSeconds;

        for (var i = 0; i < 3; i++) await store.SearchAsync(queries[i], K, CancellationToken.None); // warm: page in, JIT

        var latencies = new double[Math.Min(singles, queries.Length)];
        for (var i = 0; i < latencies.Length; i++)
        {
            var clock = Stopwatch.StartNew();
            await store.SearchAsync(queries[i], K, CancellationToken.None);
            latencies[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(latencies);

        var batches = queries.Length / BatchSize;
        var topRows = new List<int>();
        var batchClock = Stopwatch.StartNew();
        for (var b = 0; b < batches; b++)
        {
            var batch = queries.Skip(b * BatchSize).Take(BatchSize).Select(q => (ReadOnlyMemory<float>)q).ToArray();
            var hits = await store.SearchBatchAsync(batch, K, CancellationToken.None);
            if (b == 0) topRows.AddRange(hits.SelectMany(h => h.Select(p => RowOf(p.Id))));
        }
        var batchSeconds = batchClock.Elapsed.TotalSeconds;
        // The first batch's top-10 rows, for the FAISS script to check that both found the same neighbours.
        var element = type == StoreElementType.Float32 ? "float32" : "float16";
        await File.WriteAllBytesAsync(Path.Combine(Path.GetDirectoryName(storeDir)!, $"embedded-top10-{element}.i32"),
            MemoryMarshal.AsBytes(topRows.ToArray().AsSpan()).ToArray());

        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var result = new Dictionary<string, object>
        {
            ["element"] = element,
            ["open_s"] = Math.Round(openSeconds, 3),
            ["single_p50_ms"] = Math.Round(Percentile(latencies, 0.50), 3),
            ["single_p99_ms"] = Math.Round(Percentile(latencies, 0.99), 3),
            ["single_queries"] = latencies.Length,
            ["batch64_qps"] = Math.Round(batches * BatchSize / batchSeconds, 1),
            ["batch64_queries"] = batches * BatchSize,
            // Resident set: mapped vector pages count here once touched (they are shared page cache).
            ["rss_mb"] = Math.Round(self.WorkingSet64 / 1048576.0, 1),
            ["private_mb"] = Math.Round(self.PrivateMemorySize64 / 1048576.0, 1),
        };
        Console.Error.WriteLine("embedded " + JsonSerializer.Serialize(result));
        return result;
    }

    internal static int RowOf(string id) =>
        int.Parse(id.AsSpan(id.LastIndexOf('/') + 1, id.Length - id.LastIndexOf('/') - 5), CultureInfo.InvariantCulture);

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    /// <summary>Writes rows × dim random unit vectors (float32, row-major, little-endian) unless the file is there.</summary>
    internal static void EnsureVectors(string path, int rows, int dim, int seed)
    {
        if (File.Exists(path) && new FileInfo(path).Length == (long)rows * dim * sizeof(float)) return;
        Console.Error.WriteLine($"writing {rows} x {dim} random unit vectors to {path}");
        var random = new Random(seed);
        var row = new float[dim];
        using var stream = new FileStream(path + ".tmp", FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        for (var r = 0; r < rows; r++)
        {
            var norm = 0.0;
            for (var i = 0; i < dim; i++)
            {
                // Box–Muller: Gaussian components make directions uniform on the sphere.
                var g = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                row[i] = (float)g;
                norm += g * g;
            }
            var scale = (float)(1 / Math.Sqrt(norm));
            for (var i = 0; i < dim; i++) row[i] *= scale;
            stream.Write(MemoryMarshal.AsBytes(row.AsSpan()));
        }
        stream.Close();
        File.Move(path + ".tmp", path, overwrite: true);
    }

    internal static float[][] ReadMatrix(string path, int rows, int dim)
    {
        var bytes = File.ReadAllBytes(path);
        var matrix = new float[rows][];
        for (var r = 0; r < rows; r++)
            matrix[r] = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(r * dim * sizeof(float), dim * sizeof(float))).ToArray();
        return matrix;
    }

    internal static async Task EnsureStoreAsync(string storeDir, string vectorsPath, int rows, int dim, StoreElementType type)
    {
        if (File.Exists(Path.Combine(storeDir, "manifest.json")))
        {
            using var existing = EmbeddedReferenceStore.Open(new EmbeddedStoreOptions
            {
                Directory = storeDir, ModelId = "bench-random", Dimension = dim, ReadOnly = true, VerifyChecksums = false,
            });
            if (existing.Count == rows) return;
        }
        if (Directory.Exists(storeDir)) Directory.Delete(storeDir, recursive: true);
        Console.Error.WriteLine($"building the {type} store in {storeDir}");
        var clock = Stopwatch.StartNew();
        using var store = EmbeddedReferenceStore.Create(storeDir, dim, "bench-random", type);
        using var input = new FileStream(vectorsPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        const int chunk = 20_000;
        var buffer = new byte[dim * sizeof(float)];
        for (var start = 0; start < rows; start += chunk)
        {
            var batch = new ReferenceRecord[Math.Min(chunk, rows - start)];
            for (var i = 0; i < batch.Length; i++)
            {
                input.ReadExactly(buffer);
                var id = Invariant($"bench/{(start + i) % 100:D2}/{start + i}.jpg");
                batch[i] = new ReferenceRecord(id, MemoryMarshal.Cast<byte, float>(buffer).ToArray(),
                    new GeoPoint((start + i) % 180 - 89.5, (start + i) % 360 - 179.5));
            }
            await store.UpsertAsync(batch, CancellationToken.None);
        }
        Console.Error.WriteLine(Invariant($"built {rows} rows in {clock.Elapsed.TotalSeconds:F1} s"));
    }

    internal static int IntOption(string[] args, string name, int fallback) =>
        int.Parse(StringOption(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    internal static string StringOption(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
