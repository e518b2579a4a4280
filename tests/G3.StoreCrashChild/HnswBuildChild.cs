using System.Globalization;
using G3.Retrieval.Embedded;
using G3.Retrieval.Embedded.Hnsw;

namespace G3.StoreCrashChild;

/// <summary>The HNSW half of the crash child: builds the index of an existing store until killed.</summary>
public static class HnswBuildChild
{
    public static readonly HnswSettings Settings = new() { Connectivity = 16, EfConstruction = 64, EfSearch = 64 };

    public static int Run(string directory)
    {
        using var store = EmbeddedReferenceStore.Open(new EmbeddedStoreOptions
        {
            Directory = directory, ModelId = CrashChildData.ModelId, Dimension = CrashChildData.Dimension, Hnsw = Settings,
        });
        var progress = new Printer();
        var result = store.BuildHnswIndex(new HnswBuildRun(Settings) { CheckpointEvery = TimeSpan.Zero }, progress, CancellationToken.None);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"built {result.Rows}"));
        Console.Out.Flush();
        return 0;
    }

    /// <summary>Prints each checkpoint, then lingers a little so the parent's kill lands in the middle of the build.</summary>
    private sealed class Printer : IProgress<HnswBuildProgress>
    {
        public void Report(HnswBuildProgress value)
        {
            if (!value.Checkpointed) return;
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"checkpoint {value.Indexed}"));
            Console.Out.Flush();
            Thread.Sleep(200);
        }
    }
}
