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
/// The .NET half of bench/ann.sh: the embedded store's exact scan against its USearch HNSW index on the same
/// clustered unit vectors. Writes the vectors and queries for the FAISS half, builds a float16 store, builds the
/// index at each thread count (timed), then measures the pipeline's request (10 most + 10 least similar, one query
/// at a time) exactly and through HNSW at each efSearch: p50/p99, recall@10 at both ends, and how much more
/// similar the returned least similar references are than the exact ones. Load average before/after is recorded.
/// Usage: ann [--rows N] [--dim D] [--queries Q] [--threads 1,2] [--artifacts DIR]
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
        var threadCounts = EmbeddedStoreComparison.StringOption(args, "--threads", "1,2").Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
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
        var settings = new HnswSettings();
        foreach (var threads in threadCounts)
        {
            foreach (var f in Directory.EnumerateFiles(storeDir, "hnsw*")) File.Delete(f);
            settings.BuildThreads = threads;
            using var store = EmbeddedReferenceStore.Open(Options(storeDir, dim, settings, readOnly: false));
            var result = store.BuildHnswIndex(new HnswBuildRun(settings) { CheckpointEvery = TimeSpan.FromMinutes(5) }, null, CancellationToken.None);
            var file = Directory.EnumerateFiles(storeDir, "hnsw-*.usearch").Single();
            builds.Add(new()
            {
                ["threads"] = threads, ["seconds"] = Math.Round(result.Elapsed.TotalSeconds, 1),
                ["vectors_per_s"] = Math.Round(result.VectorsPerSecond, 0), ["file_mb"] = Math.Round(new FileInfo(file).Length / 1048576.0, 1),
                ["load_after"] = LoadAverage(),
            });
            Console.Error.WriteLine("build " + JsonSerializer.Serialize(builds[^1]));
        }

        // The truth: the exact scan of the same store, and its latency on this machine now.
        var truth = new ReferenceNeighbours[queryCount];
        var exactMs = new double[queryCount];
        using (var exact = EmbeddedReferenceStore.Open(Options(storeDir, dim, null, readOnly: true)))
        {
            await exact.SearchNeighboursAsync(queries[0], K, K, CancellationToken.None);
            for (var q = 0; q < queryCount; q++)
            {
                var clock = Stopwatch.StartNew();
                truth[q] = await exact.SearchNeighboursAsync(queries[q], K, K, CancellationToken.None);
                exactMs[q] = clock.Elapsed.TotalMilliseconds;
            }
        }
        var exactRow = Row("exact", 0, exactMs, truth, truth);
        exactRow["single_thread"] = false;

        // HNSW: one query at a time, single-threaded rescoring (the index search itself is one thread).
        var hnswRows = new List<Dictionary<string, object>>();
        foreach (var ef in new[] { 64, 128, 256, 512 })
        {
            var search = new HnswSettings { EfSearch = ef, FarCandidates = Math.Max(ef, settings.FarCandidates) };
            using var store = EmbeddedReferenceStore.Open(Options(storeDir, dim, search, readOnly: true) with { MaxDegreeOfParallelism = 1 });
            for (var q = 0; q < 5; q++) await store.SearchNeighboursAsync(queries[q], K, K, CancellationToken.None);
            var got = new ReferenceNeighbours[queryCount];
            var ms = new double[queryCount];
            for (var q = 0; q < queryCount; q++)
            {
                var clock = Stopwatch.StartNew();
                got[q] = await store.SearchNeighboursAsync(queries[q], K, K, CancellationToken.None);
                ms[q] = clock.Elapsed.TotalMilliseconds;
            }
            var row = Row("usearch-hnsw", ef, ms, got, truth);
            row["far_candidates"] = search.FarCandidates;
            using var self = Process.GetCurrentProcess();
            row["rss_mb"] = Math.Round(self.WorkingSet64 / 1048576.0, 1);
            hnswRows.Add(row);
            Console.Error.WriteLine("hnsw " + JsonSerializer.Serialize(row));
        }

        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["engine"] = "g3-embedded+usearch", ["usearch"] = Cloud.Unum.USearch.USearchCapabilities.Version(),
            ["rows"] = rows, ["dim"] = dim, ["k"] = K, ["queries"] = queryCount, ["store_element"] = "float16",
            ["hnsw"] = new Dictionary<string, object> { ["M"] = settings.Connectivity, ["efConstruction"] = settings.EfConstruction, ["storage"] = settings.Storage.ToString() },
            ["data"] = Inv($"{Clustered.Centres(dim, 11).Length} Gaussian clusters, row noise {Clustered.RowNoise}, query noise {Clustered.QueryNoise}, unit length"),
            ["cores"] = Environment.ProcessorCount, ["load_before"] = loadBefore, ["load_after"] = LoadAverage(),
            ["builds"] = builds, ["exact"] = exactRow, ["hnsw_search"] = hnswRows,
        }, Indented);
        await File.WriteAllTextAsync(Path.Combine(artifacts, Inv($"ann-embedded-{rows}x{dim}.json")), json);
        Console.WriteLine(json);
        return 0;
    }

    private static Dictionary<string, object> Row(string engine, int ef, double[] ms, ReferenceNeighbours[] got, ReferenceNeighbours[] truth)
    {
        var sorted = ms.Order().ToArray();
        double near = 0, far = 0, gap = 0;
        for (var q = 0; q < got.Length; q++)
        {
            near += got[q].Similar.Select(p => p.Id).Intersect(truth[q].Similar.Select(p => p.Id)).Count() / (double)K;
            far += got[q].Dissimilar.Select(p => p.Id).Intersect(truth[q].Dissimilar.Select(p => p.Id)).Count() / (double)K;
            gap += got[q].Dissimilar.Average(p => p.Similarity) - truth[q].Dissimilar.Average(p => p.Similarity);
        }
        return new()
        {
            ["engine"] = engine, ["ef_search"] = ef,
            ["p50_ms"] = Math.Round(sorted[sorted.Length / 2], 3), ["p99_ms"] = Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(0.99 * sorted.Length) - 1)], 3),
            ["recall10_most"] = Math.Round(near / got.Length, 4), ["recall10_least"] = Math.Round(far / got.Length, 4),
            ["least_mean_similarity_gap"] = Math.Round(gap / got.Length, 5),
        };
    }

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

    /// <summary>Clustered unit vectors: image embeddings have neighbourhoods, uniform random directions do not.</summary>
    private static class Clustered
    {
        public const double RowNoise = 1.0;
        public const double QueryNoise = 1.0;

        public static float[][] Centres(int dim, int seed)
        {
            var random = new Random(seed);
            return Enumerable.Range(0, 1000).Select(_ => Unit(Enumerable.Range(0, dim).Select(_ => (float)Gaussian(random)).ToArray())).ToArray();
        }

        /// <summary>Each vector: a random centre plus Gaussian noise of total norm about <paramref name="noise"/>, normalised.</summary>
        public static void Write(string path, int count, int dim, float[][] centres, int seed, double noise)
        {
            if (File.Exists(path) && new FileInfo(path).Length == (long)count * dim * sizeof(float)) return;
            var random = new Random(seed);
            var row = new float[dim];
            var scale = noise / Math.Sqrt(dim);
            using var stream = new FileStream(path + ".tmp", FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
            for (var r = 0; r < count; r++)
            {
                var centre = centres[random.Next(centres.Length)];
                for (var i = 0; i < dim; i++) row[i] = centre[i] + (float)(scale * Gaussian(random));
                stream.Write(MemoryMarshal.AsBytes(Unit(row).AsSpan()));
            }
            stream.Close();
            File.Move(path + ".tmp", path, overwrite: true);
        }

        private static float[] Unit(float[] v)
        {
            var norm = MathF.Sqrt(v.Sum(x => x * x));
            for (var i = 0; i < v.Length; i++) v[i] /= norm;
            return v;
        }

        private static double Gaussian(Random random) =>
            Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
    }
}
