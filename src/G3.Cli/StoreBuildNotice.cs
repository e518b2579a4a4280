using G3.Host.Composition;
using G3.Host.Hosting;
using G3.Retrieval;

namespace G3.Cli;

/// <summary>
/// The line a verb writes before the implicit build of an embedded store (the first start's work, which eval also
/// does for the stores its rows name): which store, from how many photos, and where they are, since the build takes
/// minutes and the progress that follows says only how far it is.
/// </summary>
internal static class StoreBuildNotice
{
    /// <summary>
    /// "eval: no embedded float16 store DIR yet: building it from the 20000 database photos in WORLD <paramref name="why"/>";
    /// nothing when the store is there, or no build would start (not embedded, first-start building off, no model).
    /// </summary>
    public static async Task WriteAsync(FirstStartSettings first, StoreSettings store, ModelSettings model, IFirstStartWorld world,
        TextWriter error, string verb, string why)
    {
        if (ReferenceStores.Parse(store.Kind) != StoreKind.Embedded || ReferenceStores.EmbeddedStoreExists(store, G3Paths.Resolve)
            || !first.BuildEmbeddedStore || !File.Exists(G3Paths.Resolve(model.Manifest)))
            return;
        var directory = G3Paths.Resolve(first.WorldDirectory);
        var photos = world.Find(directory) is { } found
            ? $"the {File.ReadLines(found.Metadata).Skip(1).Count(l => l.Length > 0)} database photos in {directory}"
            : $"{world.Name}, {first.DatabaseCount} database photos, generated first into {directory}";
        await error.WriteLineAsync($"{verb}: no {ReferenceStores.Describe(store, G3Paths.Resolve)} yet: building it from {photos} {why} (minutes; later runs reuse it)");
    }
}
