using System.Diagnostics;
using System.Globalization;
using G3.Retrieval.Embedded;
using G3.StoreCrashChild;

namespace G3.Retrieval.Tests.Embedded;

/// <summary>
/// A child process appends batches in a loop and is killed at a random moment, several times over the
/// same directory; after each kill the store must reopen at a committed batch boundary with every row intact.
/// </summary>
public sealed class EmbeddedStoreCrashTests
{
    [Fact]
    public async Task A_writer_killed_mid_append_leaves_the_last_committed_state()
    {
        using var dir = new TempDirectory();
        var random = new Random(2024);
        var lastReported = 0;
        for (var round = 0; round < 3; round++)
        {
            var reported = await RunChildAndKill(dir.Path, commitsBeforeKill: 2 + round, delayMs: random.Next(0, 25));
            Assert.True(reported >= lastReported, "a later run must resume from the earlier commits");
            lastReported = reported;

            using var store = EmbeddedReferenceStore.Open(dir.Path, CrashChildData.ModelId, CrashChildData.Dimension);
            var count = (int)store.Count;
            Assert.True(count >= reported, $"round {round}: {count} rows but the child reported {reported} committed");
            Assert.Equal(0, count % CrashChildData.BatchSize);
            for (var row = 0; row < count; row++)
                Assert.Equal(CrashChildData.VectorOf(row), store.ReadVector(CrashChildData.IdOf(row)));
            Assert.Null(store.ReadVector(CrashChildData.IdOf(count)));
            var hit = (await store.SearchAsync(CrashChildData.VectorOf(count - 1), 1, CancellationToken.None)).Single();
            Assert.Equal(CrashChildData.IdOf(count - 1), hit.Id);
        }
    }

    /// <summary>Runs the child until it has reported enough commits, waits a little, kills it; returns the last count it reported.</summary>
    private static async Task<int> RunChildAndKill(string storeDir, int commitsBeforeKill, int delayMs)
    {
        var childDll = Path.Combine(AppContext.BaseDirectory, "G3.StoreCrashChild.dll");
        Assert.True(File.Exists(childDll), $"the crash child is not built beside the tests ({childDll})");
        var start = new ProcessStartInfo(CrashChildHost.Dotnet(), [childDll, storeDir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var child = Process.Start(start)!;
        var lastCommitted = 0;
        var commits = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (commits < commitsBeforeKill)
            {
                var line = await child.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is null)
                    Assert.Fail($"the crash child exited early: {await child.StandardError.ReadToEndAsync()}");
                if (line.StartsWith("committed ", StringComparison.Ordinal))
                {
                    lastCommitted = int.Parse(line["committed ".Length..], CultureInfo.InvariantCulture);
                    commits++;
                }
            }
            await Task.Delay(delayMs);
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }
        // Lines printed between our last read and the kill count as committed too.
        while (await child.StandardOutput.ReadLineAsync() is { } rest)
            if (rest.StartsWith("committed ", StringComparison.Ordinal))
                lastCommitted = int.Parse(rest["committed ".Length..], CultureInfo.InvariantCulture);
        return lastCommitted;
    }
}
