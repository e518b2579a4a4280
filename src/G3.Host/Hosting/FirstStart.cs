using G3.Alignment.Encoders;
using G3.Host.Composition;
using G3.Retrieval;
using G3.Retrieval.Indexing;
using G3.Retrieval.Mp16;

namespace G3.Host.Hosting;

/// <summary>
/// The embedded default's first start: when the configured embedded store does not exist, have the world
/// generated (unless it is already there) and index its database split with the configured model. Later
/// starts find the store and skip all of this. The world comes through the <see cref="IFirstStartWorld"/>
/// port, which the executable registers; this library knows no generator.
/// </summary>
internal static class FirstStart
{
    /// <param name="report">Where each step is announced (readiness, the CLI's progress).</param>
    public static async Task EnsureStoreAsync(FirstStartSettings first, StoreSettings store, ModelSettings model, IFirstStartWorld? world,
        Action<string> report, ILogger log, CancellationToken cancellationToken)
    {
        if (ReferenceStores.Parse(store.Kind) != StoreKind.Embedded || ReferenceStores.EmbeddedStoreExists(store, G3Paths.Resolve) || !first.BuildEmbeddedStore)
            return;

        var manifestPath = G3Paths.Resolve(model.Manifest);
        if (!File.Exists(manifestPath))
            return; // nothing to index with; loading reports the missing model
        // Named for what it builds (e.g. "embedded float16 store …"): eval builds float16 stores through here too.
        var what = ReferenceStores.Describe(store, G3Paths.Resolve);
        if (world is null)
        {
            log.LogWarning("No {Store} yet, and this host registers no first-start world to build it from (the g3 executable does); build it with `g3 index`", what);
            return; // loading reports the missing store
        }
        var directory = G3Paths.Resolve(first.WorldDirectory);
        var photos = world.Find(directory);
        if (photos is null)
        {
            report("generating " + world.Name);
            log.LogInformation("No {Store} yet: generating {World} ({Count} photos) in {Directory} to build it from",
                what, world.Name, first.DatabaseCount, directory);
            var lastLog = DateTime.UtcNow;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            photos = await world.GenerateAsync(directory, first, new Progress<(int Done, int Total)>(p =>
            {
                var line = ProgressLine.Summary(p.Done, p.Total, clock.Elapsed, "photos");
                report($"generating {world.Name}: {line}");
                if (DateTime.UtcNow - lastLog < TimeSpan.FromSeconds(5)) return;
                lastLog = DateTime.UtcNow;
                log.LogInformation("Generating {World}: {Progress}", world.Name, line);
            }), cancellationToken);
        }

        report($"building the {what}");
        var total = await CountRowsAsync(photos.Metadata, cancellationToken);
        using var encoder = ImageEncoder.Open(manifestPath, model.ImageSession());
        // Index into a temporary folder and publish by rename, so a killed first start never leaves a
        // half-built store that later starts would take for complete.
        var target = G3Paths.Resolve(store.Embedded.Directory);
        var partial = target + ".partial";
        var partialSettings = new StoreSettings { Kind = "embedded", Embedded = new() { Directory = partial, ElementType = store.Embedded.ElementType } };
        var referenceStore = ReferenceStores.Open(partialSettings, G3Paths.Resolve, encoder.Model.Manifest.Id, encoder.Model.Spec.Retrieval.Dimension, create: true);
        try
        {
            var lastLog = DateTime.UtcNow;
            var summary = await new IndexJob(encoder, referenceStore, new IndexOptions()).RunAsync(
                Items(photos, cancellationToken), Path.Combine(directory, "index-report.tsv"), p =>
                {
                    var line = ProgressLine.Summary(p.Seen, total, p.Elapsed, "photos");
                    report($"building the {what}: {line}");
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

    private static async IAsyncEnumerable<IndexItem> Items(ReferencePhotos photos, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var r in Mp16CsvReader.ReadAsync(photos.Metadata, null, ct))
            yield return new IndexItem(r.Id, r.Point, r.Place, Path.Combine(photos.Images, r.Id));
    }
}
