using System.Globalization;
using G3.Core.Ports;
using G3.Retrieval.Embedded;
using G3.StoreCrashChild;

// Usage: G3.StoreCrashChild <store directory>
// Appends batches of CrashChildData rows forever, printing "committed <count>" after each commit,
// until the parent kills it. Resumes from the store's committed count when started again.
// Usage: G3.StoreCrashChild hnsw <store directory>
// Builds the store's HNSW index, checkpointing after every batch and printing "checkpoint <rows>",
// slowly enough for the parent to kill it mid-build.
if (args is ["hnsw", var hnswDirectory])
    return HnswBuildChild.Run(hnswDirectory);
if (args.Length != 1)
{
    await Console.Error.WriteLineAsync("usage: G3.StoreCrashChild <store directory> | G3.StoreCrashChild hnsw <store directory>");
    return 2;
}

using var store = EmbeddedReferenceStore.OpenOrCreate(new EmbeddedStoreOptions
{
    Directory = args[0],
    ModelId = CrashChildData.ModelId,
    Dimension = CrashChildData.Dimension,
    VerifyChecksums = true,
});
var next = (int)store.Count;
Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"opened {next}"));
Console.Out.Flush();
while (true)
{
    var batch = new ReferenceRecord[CrashChildData.BatchSize];
    for (var i = 0; i < batch.Length; i++) batch[i] = CrashChildData.RecordOf(next + i);
    await store.UpsertAsync(batch, CancellationToken.None);
    next += batch.Length;
    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"committed {next}"));
    Console.Out.Flush();
}
