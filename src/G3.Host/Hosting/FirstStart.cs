using G3.Alignment.Encoders;
using G3.Alignment.Indexing;
using G3.Alignment.Models;
using G3.Alignment.Mp16;
using G3.Geography;
using G3.Host.Composition;
using G3.Synthetic;

namespace G3.Host.Hosting;

/// <summary>
/// The embedded default's first start: when the configured embedded store does not exist, generate the
/// synthetic MP16-Pro world (unless it is already there) and index its database split with the
/// configured model. Later starts find the store and skip all of this.
/// </summary>
internal static class FirstStart
{
    public static async Task EnsureStoreAsync(IConfiguration configuration, RuntimeState state, ILogger log, CancellationToken cancellationToken)
    {
        var store = RuntimeFactory.Bind<StoreSettings>(configuration, StoreSettings.SectionName);
        var first = RuntimeFactory.Bind<FirstStartSettings>(configuration, FirstStartSettings.SectionName);
        if (!store.IsEmbedded || StoreFactory.EmbeddedStoreExists(store) || !first.BuildEmbeddedStore)
            return;

        var model = ModelSettingsLoader.Load(configuration);
        var manifestPath = Path.GetFullPath(model.Manifest);
        if (!File.Exists(manifestPath))
            return; // nothing to index with; loading reports the missing model
        var world = Path.GetFullPath(first.WorldDirectory);
        if (!File.Exists(SyntheticWorldLayout.DatabaseMetadata(world)))
        {
            state.Report("first start: generating the synthetic MP16-Pro world");
            log.LogInformation("First start: no embedded store at {Store}; generating the synthetic world ({Count} photos) in {World}",
                store.Embedded.Directory, first.DatabaseCount, world);
            var generator = new SyntheticWorldGenerator(ReverseGeocoder.Load());
            var options = new SyntheticWorldOptions { Seed = first.Seed, DatabaseCount = first.DatabaseCount, QueryCount = first.QueryCount };
            var lastLog = DateTime.UtcNow;
            await Task.Run(() => generator.Generate(world, options, new Progress<(int Done, int Total)>(p =>
            {
                state.Report($"first start: generating the synthetic world, {p.Done}/{p.Total} photos");
                if (DateTime.UtcNow - lastLog < TimeSpan.FromSeconds(5)) return;
                lastLog = DateTime.UtcNow;
                log.LogInformation("First start: generated {Done}/{Total} photos", p.Done, p.Total);
            }), cancellationToken), cancellationToken);
        }

        state.Report("first start: indexing the synthetic world");
        var manifest = ModelManifestLoader.Load(manifestPath);
        using var encoder = ImageEncoder.Open(manifestPath, model.ImageSession());
        // Index into a temporary folder and publish by rename, so a killed first start never leaves a
        // half-built store that later starts would take for complete.
        var target = Path.GetFullPath(store.Embedded.Directory);
        var partial = target + ".partial";
        var partialSettings = new StoreSettings { Kind = "embedded", Embedded = new() { Directory = partial, ElementType = store.Embedded.ElementType } };
        var referenceStore = StoreFactory.Open(partialSettings, manifest.Id, encoder.Model.Spec.Retrieval.Dimension, create: true);
        try
        {
            var lastLog = DateTime.UtcNow;
            var summary = await new IndexJob(encoder, referenceStore, new IndexOptions()).RunAsync(
                Items(world, cancellationToken), Path.Combine(world, "index-report.tsv"), p =>
                {
                    state.Report($"first start: indexing, {p.Indexed} photos indexed ({p.Rate:0} /s)");
                    if (DateTime.UtcNow - lastLog < TimeSpan.FromSeconds(5)) return;
                    lastLog = DateTime.UtcNow;
                    log.LogInformation("First start: indexed {Indexed} photos ({Rate:0.0}/s)", p.Indexed, p.Rate);
                }, cancellationToken);
            log.LogInformation("First start: indexed {Indexed} photos in {Elapsed}, {Failed} unreadable", summary.Indexed, summary.Elapsed, summary.Failed);
            cancellationToken.ThrowIfCancellationRequested();
        }
        finally
        {
            (referenceStore as IDisposable)?.Dispose();
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        Directory.Move(partial, target);
    }

    private static async IAsyncEnumerable<IndexItem> Items(string world, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var images = SyntheticWorldLayout.DatabaseImages(world);
        await foreach (var r in Mp16CsvReader.ReadAsync(SyntheticWorldLayout.DatabaseMetadata(world), null, ct))
            yield return new IndexItem(r.Id, r.Point, r.Place, Path.Combine(images, r.Id));
    }
}
