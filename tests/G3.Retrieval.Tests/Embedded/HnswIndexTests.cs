using G3.Core.Ports;
using G3.Retrieval.Embedded;
using G3.Retrieval.Embedded.Hnsw;

namespace G3.Retrieval.Tests.Embedded;

/// <summary>
/// A small HNSW store (a few thousand clustered vectors): built beside the vectors, searched at both ends
/// against the exact scan of the same store, reopened, extended and pruned.
/// </summary>
public sealed class HnswIndexTests
{
    private const int Rows = 4000;
    private const int Dim = 64;
    private const int K = 10;

    /// <summary>The far-end tolerance docs/scale.md states: the mean similarity of the returned least similar
    /// references may exceed the exact least similar ones' mean by at most this much (cosine units).</summary>
    private const double FarTolerance = 0.01;

    /// <summary>
    /// No near cells: the most-similar recall asserted below is the graph's own. The far end runs on its default FarCells
    /// without the FarRows floor, which would scan all of a store this small (see the test of FarRows).
    /// </summary>
    private static readonly HnswSettings Settings = new() { Connectivity = 16, EfConstruction = 128, EfSearch = 128, NearCandidates = 40, NearCells = 0, FarRows = 0 };

    private static HnswSettings Far(int cells, int rows) =>
        new() { Connectivity = 16, EfConstruction = 128, EfSearch = 128, NearCandidates = 40, NearCells = 0, FarCells = cells, FarRows = rows };

    private static EmbeddedStoreOptions Options(string dir, HnswSettings? hnsw, bool readOnly = false,
        StoreElementType element = StoreElementType.Float32) => new()
    {
        Directory = dir, ModelId = StoreTestData.Model, Dimension = Dim, Hnsw = hnsw, ReadOnly = readOnly, ElementType = element,
    };

    private static async Task<ReferenceRecord[]> FilledStore(string dir, int rows = Rows, StoreElementType element = StoreElementType.Float32)
    {
        var records = HnswTestData.Clustered(rows, Dim, seed: 5);
        using var store = EmbeddedReferenceStore.Create(Options(dir, null, element: element));
        foreach (var chunk in records.Chunk(1000)) await store.UpsertAsync(chunk, CancellationToken.None);
        return records;
    }

    [Fact]
    public async Task A_built_index_answers_both_ends_like_the_exact_scan_and_survives_a_reopen()
    {
        using var dir = new TempDirectory();
        var records = await FilledStore(dir.Path);
        var queries = HnswTestData.Queries(records, 40, seed: 9);

        using (var builder = EmbeddedReferenceStore.Open(Options(dir.Path, Settings)))
        {
            Assert.Contains("not built", builder.IndexStatus, StringComparison.Ordinal);
            var result = builder.BuildHnswIndex(new HnswBuildRun(Settings), null, CancellationToken.None);
            Assert.False(result.Cancelled);
            Assert.Equal(Rows, result.Rows);
            Assert.Equal(0, result.ResumedFrom);
            Assert.Equal(Rows, builder.HnswRows);
            // Asked again with nothing new, the build is a no-op.
            Assert.Equal(Rows, builder.BuildHnswIndex(new HnswBuildRun(Settings), null, CancellationToken.None).ResumedFrom);
        }

        using var exact = EmbeddedReferenceStore.Open(Options(dir.Path, null, readOnly: true));
        var before = await Compare(dir.Path, exact, queries);

        // Reopened (read-only, as the service opens it), the index is found again and answers identically.
        using var reopened = EmbeddedReferenceStore.Open(Options(dir.Path, Settings, readOnly: true));
        Assert.Equal(Rows, reopened.HnswRows);
        Assert.StartsWith("hnsw index of 4000 rows", reopened.IndexStatus, StringComparison.Ordinal);
        foreach (var q in queries.Take(5))
        {
            var a = await reopened.SearchNeighboursAsync(q, K, K, CancellationToken.None);
            Assert.Equal(before[q].Similar.Select(p => p.Id), a.Similar.Select(p => p.Id));
            Assert.Equal(before[q].Dissimilar.Select(p => p.Id), a.Dissimilar.Select(p => p.Id));
        }
    }

    /// <summary>Both ends of every query through the HNSW store against the exact store; returns the HNSW answers.</summary>
    private static async Task<Dictionary<float[], ReferenceNeighbours>> Compare(string dir, EmbeddedReferenceStore exact, float[][] queries)
    {
        using var hnsw = EmbeddedReferenceStore.Open(Options(dir, Settings, readOnly: true));
        Assert.Equal(Rows, hnsw.HnswRows);
        var answers = new Dictionary<float[], ReferenceNeighbours>();
        double recallSum = 0, farGap = 0;
        foreach (var q in queries)
        {
            var truth = await exact.SearchNeighboursAsync(q, K, K, CancellationToken.None);
            var got = await hnsw.SearchNeighboursAsync(q, K, K, CancellationToken.None);
            answers[q] = got;
            Assert.Equal(K, got.Similar.Count);
            Assert.Equal(K, got.Dissimilar.Count);
            recallSum += got.Similar.Select(p => p.Id).Intersect(truth.Similar.Select(p => p.Id)).Count() / (double)K;
            farGap += got.Dissimilar.Average(p => p.Similarity) - truth.Dissimilar.Average(p => p.Similarity);
            // Rescored exactly: a returned reference carries the score the exact scan gives it, best first.
            var exactScores = (await exact.SearchNeighboursAsync(q, Rows, 0, CancellationToken.None)).Similar.ToDictionary(p => p.Id, p => p.Similarity);
            foreach (var p in got.Similar.Concat(got.Dissimilar)) Assert.Equal(exactScores[p.Id], p.Similarity);
            Assert.True(got.Similar.Zip(got.Similar.Skip(1)).All(pair => pair.First.Similarity >= pair.Second.Similarity));
            Assert.True(got.Dissimilar.Zip(got.Dissimilar.Skip(1)).All(pair => pair.First.Similarity <= pair.Second.Similarity));
        }
        var recall = recallSum / queries.Length;
        var gap = farGap / queries.Length;
        Assert.True(recall >= 0.95, $"most-similar recall@10 {recall:0.000}");
        Assert.True(gap >= 0 && gap <= FarTolerance, $"the least similar references are {gap:0.0000} more similar on average than the exact ones");
        return answers;
    }

    [Fact]
    public async Task Rows_added_after_the_build_are_found_and_deleted_rows_are_not()
    {
        using var dir = new TempDirectory();
        var records = await FilledStore(dir.Path, rows: 2000);
        using var store = EmbeddedReferenceStore.Open(Options(dir.Path, Settings));
        store.BuildHnswIndex(new HnswBuildRun(Settings), null, CancellationToken.None);
        Assert.Equal(2000, store.HnswRows);

        var probe = records[123].Vector;
        var opposite = probe.Select(x => -x).ToArray();
        await store.UpsertAsync([new ReferenceRecord("late/twin.jpg", probe, records[0].Point), new ReferenceRecord("late/anti.jpg", opposite, records[0].Point)],
            CancellationToken.None);
        await store.DeleteAsync([records[123].Id], CancellationToken.None);

        var found = await store.SearchNeighboursAsync(probe, K, K, CancellationToken.None);
        Assert.Equal("late/twin.jpg", found.Similar[0].Id);
        Assert.Equal("late/anti.jpg", found.Dissimilar[0].Id);
        Assert.DoesNotContain(found.Similar, p => p.Id == records[123].Id);

        // The next build extends the finished index rather than starting over.
        var extended = store.BuildHnswIndex(new HnswBuildRun(Settings), null, CancellationToken.None);
        Assert.Equal(2000, extended.ResumedFrom);
        Assert.Equal(2002, store.HnswRows);
        Assert.Equal("late/twin.jpg", (await store.SearchAsync(probe, 1, CancellationToken.None))[0].Id);
    }

    [Fact]
    public async Task A_cancelled_build_checkpoints_and_the_next_one_resumes_while_searches_stay_exact()
    {
        using var dir = new TempDirectory();
        var records = await FilledStore(dir.Path, rows: 12_000);
        using var store = EmbeddedReferenceStore.Open(Options(dir.Path, Settings));
        using var cancel = new CancellationTokenSource();
        var first = store.BuildHnswIndex(new HnswBuildRun(Settings), new SyncProgress(p => { if (p.Indexed >= 4096) cancel.Cancel(); }), cancel.Token);
        Assert.True(first.Cancelled);
        Assert.InRange(first.Rows, 4096, 11_999);
        Assert.Equal(0, store.HnswRows);
        Assert.Contains("unfinished", store.IndexStatus, StringComparison.Ordinal);
        var q = records[77].Vector;
        Assert.Equal(records[77].Id, (await store.SearchAsync(q, 1, CancellationToken.None))[0].Id);

        var second = store.BuildHnswIndex(new HnswBuildRun(Settings), null, CancellationToken.None);
        Assert.Equal(first.Rows, second.ResumedFrom);
        Assert.Equal(12_000, store.HnswRows);
        Assert.Equal(records[77].Id, (await store.SearchAsync(q, 1, CancellationToken.None))[0].Id);
        Assert.False(File.Exists(Path.Combine(dir.Path, "hnsw.partial.usearch")));
    }

    [Fact]
    public async Task A_build_cancelled_while_computing_the_cells_checkpoints_the_whole_graph_and_resumes_from_it()
    {
        using var dir = new TempDirectory();
        var records = await FilledStore(dir.Path, rows: 3000);
        using var store = EmbeddedReferenceStore.Open(Options(dir.Path, Settings));
        using var cancel = new CancellationTokenSource();
        // The last progress report comes when every row is in the graph, just before the cells are computed.
        var first = store.BuildHnswIndex(new HnswBuildRun(Settings), new SyncProgress(p => { if (p.Indexed == p.Total) cancel.Cancel(); }), cancel.Token);
        Assert.True(first.Cancelled);
        Assert.Equal(3000, first.Rows);
        Assert.Equal(0, store.HnswRows);
        Assert.True(File.Exists(Path.Combine(dir.Path, "hnsw.partial.usearch")));
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "hnsw-*"));

        var second = store.BuildHnswIndex(new HnswBuildRun(Settings), null, CancellationToken.None);
        Assert.Equal(3000, second.ResumedFrom);
        Assert.Equal(3000, store.HnswRows);
        Assert.Single(Directory.EnumerateFiles(dir.Path, "hnsw-*.cells"));
        Assert.Equal(records[9].Id, (await store.SearchAsync(records[9].Vector, 1, CancellationToken.None))[0].Id);
    }

    [Fact]
    public async Task An_index_of_another_store_is_not_used()
    {
        using var dir = new TempDirectory();
        await FilledStore(dir.Path, rows: 1500);
        using (var store = EmbeddedReferenceStore.Open(Options(dir.Path, Settings)))
            store.BuildHnswIndex(new HnswBuildRun(Settings), null, CancellationToken.None);
        // The same files over a smaller store: the record says 1500 rows, the store has fewer.
        using var other = new TempDirectory();
        await FilledStore(other.Path, rows: 1000);
        foreach (var file in Directory.EnumerateFiles(dir.Path, "hnsw*")) File.Copy(file, Path.Combine(other.Path, Path.GetFileName(file)));
        using var reopened = EmbeddedReferenceStore.Open(Options(other.Path, Settings, readOnly: true));
        Assert.Equal(0, reopened.HnswRows);
        Assert.Contains("does not match", reopened.IndexStatus, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_index_whose_cells_file_is_damaged_or_missing_is_not_used_and_the_next_build_repairs_it()
    {
        using var dir = new TempDirectory();
        var records = await FilledStore(dir.Path, rows: 1500);
        using (var store = EmbeddedReferenceStore.Open(Options(dir.Path, Settings)))
            store.BuildHnswIndex(new HnswBuildRun(Settings), null, CancellationToken.None);
        var cells = Directory.EnumerateFiles(dir.Path, "hnsw-*.cells").Single();
        var bytes = File.ReadAllBytes(cells);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(cells, bytes);

        using (var damaged = EmbeddedReferenceStore.Open(Options(dir.Path, Settings)))
        {
            Assert.Equal(0, damaged.HnswRows);
            Assert.Contains("cells", damaged.IndexStatus, StringComparison.Ordinal);
            // Still answers, exactly.
            Assert.Equal(records[5].Id, (await damaged.SearchAsync(records[5].Vector, 1, CancellationToken.None))[0].Id);
            // The graph is reused (same rows, same checksum); only the cells are computed again.
            Assert.Equal(1500, damaged.BuildHnswIndex(new HnswBuildRun(Settings), null, CancellationToken.None).ResumedFrom);
            Assert.Equal(1500, damaged.HnswRows);
        }
        File.Delete(Directory.EnumerateFiles(dir.Path, "hnsw-*.cells").Single());
        using var missing = EmbeddedReferenceStore.Open(Options(dir.Path, Settings, readOnly: true));
        Assert.Equal(0, missing.HnswRows);
        Assert.Contains("cells", missing.IndexStatus, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("damaged")]
    [InlineData("missing")]
    public async Task An_index_whose_cell_ordered_vectors_are_damaged_or_missing_is_not_used_and_the_next_build_repairs_it(string fault)
    {
        using var dir = new TempDirectory();
        var records = await FilledStore(dir.Path, rows: 1500);
        using (var store = EmbeddedReferenceStore.Open(Options(dir.Path, Settings)))
            store.BuildHnswIndex(new HnswBuildRun(Settings), null, CancellationToken.None);
        var copy = Directory.EnumerateFiles(dir.Path, "hnsw-*.cellvectors").Single();
        if (fault == "missing")
        {
            File.Delete(copy);
        }
        else
        {
            // One flipped bit inside a vector: the header still reads, only the checksum can tell.
            using var stream = new FileStream(copy, FileMode.Open, FileAccess.ReadWrite);
            stream.Position = stream.Length - 7;
            var b = stream.ReadByte();
            stream.Position = stream.Length - 7;
            stream.WriteByte((byte)(b ^ 0x10));
        }

        using var store2 = EmbeddedReferenceStore.Open(Options(dir.Path, Settings));
        Assert.Equal(0, store2.HnswRows);
        Assert.Contains("cell-ordered vectors", store2.IndexStatus, StringComparison.Ordinal);
        Assert.Equal(records[5].Id, (await store2.SearchAsync(records[5].Vector, 1, CancellationToken.None))[0].Id);
        // The graph is reused (same rows, same checksum); the cells and their copy are made again.
        Assert.Equal(1500, store2.BuildHnswIndex(new HnswBuildRun(Settings), null, CancellationToken.None).ResumedFrom);
        Assert.Equal(1500, store2.HnswRows);
        Assert.Single(Directory.EnumerateFiles(dir.Path, "hnsw-*.cellvectors"));
        Assert.Equal(records[5].Id, (await store2.SearchAsync(records[5].Vector, 1, CancellationToken.None))[0].Id);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_float16_store_answers_from_its_cell_ordered_copy_with_the_exact_scans_scores(bool inMemory)
    {
        using var dir = new TempDirectory();
        var records = await FilledStore(dir.Path, rows: 2000, element: StoreElementType.Float16);
        using (var store = EmbeddedReferenceStore.Open(Options(dir.Path, Settings, element: StoreElementType.Float16)))
            store.BuildHnswIndex(new HnswBuildRun(Settings), null, CancellationToken.None);
        using var exact = EmbeddedReferenceStore.Open(Options(dir.Path, null, readOnly: true, element: StoreElementType.Float16));
        var serving = new HnswSettings { Connectivity = 16, EfConstruction = 128, EfSearch = 128, NearCandidates = 40, NearCells = 0, FarRows = 0, CellVectorsInMemory = inMemory };
        using var hnsw = EmbeddedReferenceStore.Open(Options(dir.Path, serving, readOnly: true, element: StoreElementType.Float16));
        Assert.Equal(2000, hnsw.HnswRows);
        Assert.EndsWith(inMemory ? "cell vectors in memory)" : "cell vectors mapped)", hnsw.IndexStatus, StringComparison.Ordinal);
        foreach (var q in HnswTestData.Queries(records, 10, seed: 4))
        {
            var all = (await exact.SearchNeighboursAsync(q, 2000, 0, CancellationToken.None)).Similar.ToDictionary(p => p.Id, p => p.Similarity);
            var got = await hnsw.SearchNeighboursAsync(q, K, K, CancellationToken.None);
            Assert.Equal(K, got.Similar.Count);
            Assert.Equal(K, got.Dissimilar.Count);
            foreach (var p in got.Similar.Concat(got.Dissimilar)) Assert.Equal(all[p.Id], p.Similarity);
        }
    }

    [Fact]
    public async Task Far_rows_widen_the_far_end_to_whole_cells_until_that_many_rows_are_scanned()
    {
        using var dir = new TempDirectory();
        var records = await FilledStore(dir.Path, rows: 3000);
        var one = Far(cells: 1, rows: 0);
        using (var store = EmbeddedReferenceStore.Open(Options(dir.Path, one)))
            store.BuildHnswIndex(new HnswBuildRun(one), null, CancellationToken.None);
        using var exact = EmbeddedReferenceStore.Open(Options(dir.Path, null, readOnly: true));
        using var thin = EmbeddedReferenceStore.Open(Options(dir.Path, one, readOnly: true));
        using var floor = EmbeddedReferenceStore.Open(Options(dir.Path, Far(cells: 1, rows: 3000), readOnly: true));
        var thinMisses = 0;
        foreach (var q in HnswTestData.Queries(records, 20, seed: 6))
        {
            var truth = (await exact.SearchNeighboursAsync(q, 0, K, CancellationToken.None)).Dissimilar.Select(p => (p.Id, p.Similarity)).ToList();
            if (!truth.SequenceEqual((await thin.SearchNeighboursAsync(q, 0, K, CancellationToken.None)).Dissimilar.Select(p => (p.Id, p.Similarity)))) thinMisses++;
            // A floor of every row: the far end is the exact one.
            Assert.Equal(truth, (await floor.SearchNeighboursAsync(q, 0, K, CancellationToken.None)).Dissimilar.Select(p => (p.Id, p.Similarity)));
        }
        // The control: one cell of ~55 rows alone misses some of the exact least similar.
        Assert.True(thinMisses > 0, "one far cell found the exact least similar for every query; the floor was not exercised");
    }

    [Fact]
    public async Task Near_cells_add_the_nearest_cells_members_and_keep_the_exact_scores()
    {
        using var dir = new TempDirectory();
        var records = await FilledStore(dir.Path, rows: 3000);
        // A deliberately weak graph (tiny beam, no oversampling): the nearest cells must carry the near end.
        var weak = new HnswSettings { Connectivity = 4, EfConstruction = 8, EfSearch = 8, NearCandidates = 1 };
        using (var store = EmbeddedReferenceStore.Open(Options(dir.Path, weak)))
            store.BuildHnswIndex(new HnswBuildRun(weak), null, CancellationToken.None);
        var withCells = new HnswSettings { Connectivity = 4, EfConstruction = 8, EfSearch = 8, NearCandidates = 1, NearCells = 64 };
        using var exact = EmbeddedReferenceStore.Open(Options(dir.Path, null, readOnly: true));
        using var cells = EmbeddedReferenceStore.Open(Options(dir.Path, withCells, readOnly: true));
        foreach (var q in HnswTestData.Queries(records, 20, seed: 3))
        {
            // 64 cells of the ~55 there are: every row is a candidate, so the answer is the exact one.
            var truth = await exact.SearchNeighboursAsync(q, K, K, CancellationToken.None);
            var got = await cells.SearchNeighboursAsync(q, K, K, CancellationToken.None);
            Assert.Equal(truth.Similar.Select(p => (p.Id, p.Similarity)), got.Similar.Select(p => (p.Id, p.Similarity)));
        }
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the test needs the callback on the building thread.</summary>
    private sealed class SyncProgress(Action<HnswBuildProgress> report) : IProgress<HnswBuildProgress>
    {
        public void Report(HnswBuildProgress value) => report(value);
    }
}
