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
        var manifestPath = G3Paths.Resolve(model.Manifest);
        if (!File.Exists(manifestPath))
            return; // nothing to index with; loading reports the missing model
        var world = G3Paths.Resolve(first.WorldDirectory);
        // Named for what it builds (e.g. "embedded float16 store …"): eval builds float16 stores through here too.
        var what = store.Describe();
        if (!File.Exists(SyntheticWorldLayout.DatabaseMetadata(world)))
        {
            state.Report("generating the synthetic MP16-Pro world");
            log.LogInformation("No {Store} yet: generating the synthetic world ({Count} photos) in {World} to build it from",
                what, first.DatabaseCount, world);
            var generator = new SyntheticWorldGenerator(ReverseGeocoder.Load());
            var options = new SyntheticWorldOptions { Seed = first.Seed, DatabaseCount = first.DatabaseCount, QueryCount = first.QueryCount };
            var lastLog = DateTime.UtcNow;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await Task.Run(() => generator.Generate(world, options, new Progress<(int Done, int Total)>(p =>
            {
                var line = Cli.ConsoleProgress.Summary(p.Done, p.Total, clock.Elapsed, "photos");
                state.Report("generating the synthetic world: " + line);
                if (DateTime.UtcNow - lastLog < TimeSpan.FromSeconds(5)) return;
                lastLog = DateTime.UtcNow;
                log.LogInformation("Generating the synthetic world: {Progress}", line);
            }), cancellationToken), cancellationToken);
        }

        state.Report($"building the {what}");
        var total = await CountRowsAsync(SyntheticWorldLayout.DatabaseMetadata(world), cancellationToken);
        var manifest = ModelManifestLoader.Load(manifestPath);
        using var encoder = ImageEncoder.Open(manifestPath, model.ImageSession());
        // Index into a temporary folder and publish by rename, so a killed first start never leaves a
        // half-built store that later starts would take for complete.
        var target = G3Paths.Resolve(store.Embedded.Directory);
        var partial = target + ".partial";
        var partialSettings = new StoreSettings { Kind = "embedded", Embedded = new() { Directory = partial, ElementType = store.Embedded.ElementType } };
        var referenceStore = StoreFactory.Open(partialSettings, manifest.Id, encoder.Model.Spec.Retrieval.Dimension, create: true);
        try
        {
            var lastLog = DateTime.UtcNow;
            var summary = await new IndexJob(encoder, referenceStore, new IndexOptions()).RunAsync(
                Items(world, cancellationToken), Path.Combine(world, "index-report.tsv"), p =>
                {
                    var line = Cli.ConsoleProgress.Summary(p.Seen, total, p.Elapsed, "photos");
                    state.Report($"building the {what}: {line}");
                    if (DateTime.UtcNow - lastLog < TimeSpan.FromSeconds(5)) return;
                    lastLog = DateTime.UtcNow;
                    log.LogInformation("Building the {Store}: {Progress}", what, line);
                }, cancellationToken);
            log.LogInformation("Built the {Store}: indexed {Indexed} photos in {Elapsed}, {Failed} unreadable", what, summary.Indexed, summary.Elapsed, summary.Failed);
            cancellationToken.ThrowIfCancellationRequested();
        }
        finally
        {
            (referenceStore as IDisposable)?.Dispose();
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        Directory.Move(partial, target);
    }

    /// <summary>Data rows of the metadata CSV (its header line excluded): the total progress counts towards.</summary>
    private static async Task<long> CountRowsAsync(string csv, CancellationToken cancellationToken)
    {
        long lines = 0;
        using var reader = new StreamReader(csv);
        while (await reader.ReadLineAsync(cancellationToken) is not null) lines++;
        return Math.Max(0, lines - 1);
    }

    private static async IAsyncEnumerable<IndexItem> Items(string world, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var images = SyntheticWorldLayout.DatabaseImages(world);
        await foreach (var r in Mp16CsvReader.ReadAsync(SyntheticWorldLayout.DatabaseMetadata(world), null, ct))
            yield return new IndexItem(r.Id, r.Point, r.Place, Path.Combine(images, r.Id));
    }
}
