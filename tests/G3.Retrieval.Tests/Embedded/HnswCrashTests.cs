using System.Diagnostics;
using System.Globalization;
using G3.Retrieval.Embedded;
using G3.Retrieval.Embedded.Hnsw;
using G3.StoreCrashChild;

namespace G3.Retrieval.Tests.Embedded;

/// <summary>
/// kill -9 in the middle of an HNSW build (a child process building with a checkpoint after every batch):
/// the store still opens and answers by exact scan, and the next build resumes from the last checkpoint.
/// A second kill, during a build that extends a finished index, leaves the finished index serving.
/// </summary>
public sealed class HnswCrashTests
{
    private const int Rows = 20_000;

    [Fact]
    public async Task A_build_killed_mid_way_leaves_a_store_that_answers_and_a_build_that_resumes()
    {
        using var dir = new TempDirectory();
        var options = new EmbeddedStoreOptions
        {
            Directory = dir.Path, ModelId = CrashChildData.ModelId, Dimension = CrashChildData.Dimension, Hnsw = HnswBuildChild.Settings,
        };
        using (var store = EmbeddedReferenceStore.Create(options with { Hnsw = null }))
            await Fill(store, 0, Rows);

        var checkpointed = await RunChildAndKill(dir.Path, checkpointsBeforeKill: 2);
        Assert.InRange(checkpointed, 1, Rows - 1);

        using (var store = EmbeddedReferenceStore.Open(options))
        {
            Assert.Equal(0, store.HnswRows);
            Assert.Contains("unfinished", store.IndexStatus, StringComparison.Ordinal);
            await AssertAnswers(store, Rows);
            var resumed = store.BuildHnswIndex(new HnswBuildRun(HnswBuildChild.Settings), null, CancellationToken.None);
            Assert.True(resumed.ResumedFrom >= checkpointed, $"resumed from {resumed.ResumedFrom}, the child had checkpointed {checkpointed}");
            Assert.Equal(Rows, store.HnswRows);
            await AssertAnswers(store, Rows);
            await Fill(store, Rows, Rows + 8000);
        }

        // Killed while extending the finished index: the finished one still serves, the new rows are scanned exactly.
        await RunChildAndKill(dir.Path, checkpointsBeforeKill: 1);
        using (var store = EmbeddedReferenceStore.Open(options with { ReadOnly = true }))
        {
            Assert.Equal(Rows, store.HnswRows);
            await AssertAnswers(store, Rows + 8000);
        }
    }

    private static async Task Fill(EmbeddedReferenceStore store, int from, int to)
    {
        for (var start = from; start < to; start += 2000)
            await store.UpsertAsync(Enumerable.Range(start, Math.Min(2000, to - start)).Select(CrashChildData.RecordOf).ToArray(), CancellationToken.None);
    }

    /// <summary>Each probed row's own vector finds that row first, and its negation finds the row last.</summary>
    private static async Task AssertAnswers(EmbeddedReferenceStore store, int rows)
    {
        foreach (var row in new[] { 0, rows / 3, rows - 1 })
        {
            var vector = CrashChildData.VectorOf(row);
            var found = await store.SearchNeighboursAsync(vector, 5, 5, CancellationToken.None);
            Assert.Equal(CrashChildData.IdOf(row), found.Similar[0].Id);
            var opposite = await store.SearchNeighboursAsync(vector.Select(x => -x).ToArray(), 0, 5, CancellationToken.None);
            Assert.Equal(CrashChildData.IdOf(row), opposite.Dissimilar[0].Id);
        }
    }

    /// <summary>Runs the child until it reports enough checkpoints, then kills it (SIGKILL); returns the last checkpoint it reported.</summary>
    private static async Task<int> RunChildAndKill(string storeDir, int checkpointsBeforeKill)
    {
        var childDll = Path.Combine(AppContext.BaseDirectory, "G3.StoreCrashChild.dll");
        Assert.True(File.Exists(childDll), $"the crash child is not built beside the tests ({childDll})");
        var start = new ProcessStartInfo(CrashChildHost.Dotnet(), [childDll, "hnsw", storeDir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var child = Process.Start(start)!;
        var last = 0;
        var seen = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (seen < checkpointsBeforeKill)
            {
                var line = await child.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is null || line.StartsWith("built ", StringComparison.Ordinal))
                    Assert.Fail($"the crash child finished or exited before it was killed: {line} {await child.StandardError.ReadToEndAsync()}");
                if (line.StartsWith("checkpoint ", StringComparison.Ordinal))
                {
                    last = int.Parse(line["checkpoint ".Length..], CultureInfo.InvariantCulture);
                    seen++;
                }
            }
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }
        return last;
    }
}
