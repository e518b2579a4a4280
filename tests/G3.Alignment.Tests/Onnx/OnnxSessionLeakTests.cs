using System.Globalization;
using G3.Alignment.Onnx;

namespace G3.Alignment.Tests.Onnx;

/// <summary>
/// Native memory is released: opening/disposing sessions and running many batches must not grow the
/// process's resident set. A leaked output tensor here is 64 KiB per run, a leaked session about
/// 1 MiB, so the bound (48 MiB over 1200 runs and 20 sessions) is generous yet catches either.
/// </summary>
[Collection(ProcessMemoryCollection.Name)]
public sealed class OnnxSessionLeakTests
{
    [Fact]
    public void Repeated_sessions_and_runs_do_not_grow_resident_memory()
    {
        var options = new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cpu, IntraOpThreads = 1 };
        var inputs = new Dictionary<string, FloatTensor>
        {
            ["coords"] = new(Enumerable.Range(0, 512).Select(i => (i % 97) / 97f - 0.5f).ToArray(), 256, 2),
        };
        Cycle(options, inputs, sessions: 5, runsPerSession: 50); // warm up ORT's arenas and the JIT
        var before = ResidentKiB();

        Cycle(options, inputs, sessions: 20, runsPerSession: 60);

        var growthMiB = (ResidentKiB() - before) / 1024.0;
        Assert.True(growthMiB < 48, $"resident memory grew by {growthMiB:F1} MiB over 20 sessions and 1200 runs");
    }

    private static void Cycle(OnnxSessionOptions options, Dictionary<string, FloatTensor> inputs, int sessions, int runsPerSession)
    {
        for (var s = 0; s < sessions; s++)
        {
            using var session = OnnxSession.Open(OnnxFixtures.LocationModel, options);
            for (var r = 0; r < runsPerSession; r++)
                Assert.Equal(256L, session.Run(inputs, ["embedding"])[0].Shape[0]);
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static long ResidentKiB()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
