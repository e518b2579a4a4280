using System.Globalization;
using G3.Core.Ports;
using G3.Host.Composition;
using G3.Retrieval;
using G3.Retrieval.Embedded;

namespace G3.Cli;

/// <summary>
/// The HNSW index of a store an eval row names with <c>"index": "hnsw"</c>: built (or resumed) when the store has
/// none that covers its rows, as <c>g3 index</c> would, and then required, so such a row never measures an exact
/// scan that the store fell back to.
/// </summary>
internal static class EvalStoreIndex
{
    /// <summary>Opens the built store read-only with its index; for an hnsw store, builds the index first when it is missing or behind.</summary>
    public static async Task<IReferenceStore> OpenAsync(StoreSettings settings, string modelId, int dimension, TextWriter error, CancellationToken cancellationToken)
    {
        if (ReferenceStores.ParseIndex(settings.Embedded.Index) != EmbeddedIndex.Hnsw)
            return ReferenceStores.Open(settings, G3Paths.Resolve, modelId, dimension, create: false, readOnly: true);

        // Building needs the writer lock; serving does not, so the index is built on a writable open and served from a read-only one.
        using (var writable = (EmbeddedReferenceStore)ReferenceStores.Open(settings, G3Paths.Resolve, modelId, dimension, create: false))
        {
            var rows = await writable.CountAsync(cancellationToken);
            if (writable.HnswRows < rows)
            {
                await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"eval: {ReferenceStores.Describe(settings, G3Paths.Resolve)}: {writable.IndexStatus}; building the index of its {rows} rows for the rows that name it (minutes; later runs reuse it)"));
                var built = await Task.Run(() => ReferenceStores.BuildIndex(writable, settings, null, cancellationToken), CancellationToken.None);
                if (built is { Cancelled: true }) throw new OperationCanceledException(cancellationToken);
                if (built is not null)
                    await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"eval: hnsw index of {built.Rows} rows built in {built.Elapsed.TotalSeconds:0.#} s on {built.Threads} threads → {built.File}"));
            }
        }
        var store = (EmbeddedReferenceStore)ReferenceStores.Open(settings, G3Paths.Resolve, modelId, dimension, create: false, readOnly: true);
        var count = await store.CountAsync(cancellationToken);
        if (store.HnswRows < count)
        {
            var status = store.IndexStatus;
            store.Dispose();
            throw new InvalidDataException($"{ReferenceStores.Describe(settings, G3Paths.Resolve)} does not serve from its index ({status}); the hnsw row would measure an exact scan");
        }
        return store;
    }
}
