using G3.Cli;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Retrieval;
using G3.Retrieval.Embedded;

namespace G3.Host.Tests;

/// <summary>
/// An eval row with <c>"index": "hnsw"</c>: eval builds the store's missing index (announced), serves the row from it,
/// and reuses it on the next run; an exact row opens the store as it is.
/// </summary>
public sealed class CliEvalStoreIndexTests : IDisposable
{
    private const int Rows = 300;
    private const int Dim = 16;
    private readonly string _dir = Directory.CreateTempSubdirectory("g3-eval-index").FullName;

    private StoreSettings Settings(string index) => new()
    {
        Kind = "embedded",
        Embedded = new() { Directory = _dir, Index = index, Hnsw = new() { Connectivity = 8, EfConstruction = 32, EfSearch = 32, NearCandidates = 16, FarCells = 8 } },
    };

    private async Task FillAsync()
    {
        var random = new Random(3);
        var records = Enumerable.Range(0, Rows).Select(i =>
        {
            var v = Enumerable.Range(0, Dim).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            var norm = MathF.Sqrt(v.Sum(x => x * x));
            return new ReferenceRecord($"p{i}", v.Select(x => x / norm).ToArray(), new GeoPoint(i % 90, i % 180));
        }).ToArray();
        using var store = EmbeddedReferenceStore.Create(_dir, Dim, "m");
        await store.UpsertAsync(records, CancellationToken.None);
    }

    [Fact]
    public async Task A_missing_index_is_announced_built_and_then_served_and_reused()
    {
        await FillAsync();
        var first = new StringWriter();
        using (var store = (EmbeddedReferenceStore)await EvalStoreIndex.OpenAsync(Settings("hnsw"), "m", Dim, first, CancellationToken.None))
        {
            Assert.Equal(Rows, store.HnswRows);
            Assert.True(store.IsReadOnly);
        }
        Assert.Contains($"building the index of its {Rows} rows", first.ToString(), StringComparison.Ordinal);
        Assert.Contains($"hnsw index of {Rows} rows built", first.ToString(), StringComparison.Ordinal);

        var second = new StringWriter();
        using (var store = (EmbeddedReferenceStore)await EvalStoreIndex.OpenAsync(Settings("hnsw"), "m", Dim, second, CancellationToken.None))
            Assert.Equal(Rows, store.HnswRows);
        Assert.Equal("", second.ToString());
    }

    [Fact]
    public async Task An_exact_row_builds_nothing_and_scans()
    {
        await FillAsync();
        var error = new StringWriter();
        using (var store = (EmbeddedReferenceStore)await EvalStoreIndex.OpenAsync(Settings("exact"), "m", Dim, error, CancellationToken.None))
        {
            Assert.Equal(0, store.HnswRows);
            Assert.Equal("exact scan", store.IndexStatus);
        }
        Assert.Equal("", error.ToString());
        Assert.Empty(Directory.GetFiles(_dir, "hnsw*"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
