using BenchmarkDotNet.Attributes;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Retrieval.Embedded;

namespace G3.Bench;

/// <summary>
/// Micro-benchmark of the embedded store's scan (BenchmarkDotNet; the FAISS side-by-side is
/// EmbeddedStoreComparison, run by bench/store-vs-faiss.sh). 50k × 768 keeps a run short.
/// </summary>
[MemoryDiagnoser]
public class EmbeddedStoreBenchmarks
{
    private const int Dim = 768;
    private string _dir = "";
    private EmbeddedReferenceStore _store = null!;
    private ReadOnlyMemory<float>[] _queries = [];

    [Params(StoreElementType.Float32, StoreElementType.Float16)]
    public StoreElementType Element { get; set; }

    [Params(50_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "g3-bench-store-" + Guid.NewGuid().ToString("N"));
        _store = EmbeddedReferenceStore.Create(_dir, Dim, "bench-random", Element);
        var random = new Random(1);
        var records = Enumerable.Range(0, Rows)
            .Select(i => new ReferenceRecord($"r{i}", Unit(random), new GeoPoint(0, 0)))
            .ToArray();
        _store.UpsertAsync(records, CancellationToken.None).GetAwaiter().GetResult();
        _queries = Enumerable.Range(0, 64).Select(_ => (ReadOnlyMemory<float>)Unit(random)).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark]
    public Task<IReadOnlyList<G3.Core.Candidates.ReferencePhoto>> SingleQueryTop10() =>
        _store.SearchAsync(_queries[0], 10, CancellationToken.None);

    [Benchmark]
    public Task<IReadOnlyList<IReadOnlyList<G3.Core.Candidates.ReferencePhoto>>> Batch64Top10() =>
        _store.SearchBatchAsync(_queries, 10, CancellationToken.None);

    private static float[] Unit(Random random)
    {
        var v = new float[Dim];
        for (var i = 0; i < Dim; i++) v[i] = (float)(random.NextDouble() * 2 - 1);
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        for (var i = 0; i < Dim; i++) v[i] /= norm;
        return v;
    }
}
