using G3.Alignment.Store.Embedded;
using G3.Alignment.Store.Qdrant;
using G3.Core.Options;
using G3.Core.Ports;

namespace G3.Host.Composition;

/// <summary>Builds the configured reference store for a model (its id and retrieval dimension).</summary>
public static class StoreFactory
{
    /// <param name="create">Create an empty embedded store when none exists (indexing); otherwise it must exist.</param>
    /// <param name="readOnly">Serving only reads: an embedded store opened read-only takes no writer lock, so several
    /// service processes (or an indexing run) can share it.</param>
    public static IReferenceStore Open(StoreSettings settings, string modelId, int dimension, bool create, bool readOnly = false)
    {
        var errors = settings.Validate();
        if (errors.Count > 0) throw new G3OptionsException(errors);

        if (settings.IsEmbedded)
        {
            var options = new EmbeddedStoreOptions
            {
                Directory = G3Paths.Resolve(settings.Embedded.Directory),
                ModelId = modelId,
                Dimension = dimension,
                ElementType = settings.Embedded.ElementType,
                ReadOnly = readOnly && !create,
            };
            return create ? EmbeddedReferenceStore.OpenOrCreate(options) : EmbeddedReferenceStore.Open(options);
        }

        return new QdrantReferenceStore(settings.Qdrant with { VectorSize = dimension });
    }

    /// <summary>True when an embedded store already exists at the configured directory.</summary>
    public static bool EmbeddedStoreExists(StoreSettings settings) =>
        settings.IsEmbedded && File.Exists(Path.Combine(G3Paths.Resolve(settings.Embedded.Directory), "manifest.json"));
}
