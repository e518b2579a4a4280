using System.Globalization;
using System.Runtime.CompilerServices;
using G3.Alignment.Encoders;
using G3.Evaluation;
using G3.Host.Composition;
using G3.Retrieval;
using G3.Retrieval.Indexing;
using G3.Retrieval.Mp16;
using G3.Synthetic;

namespace G3.Cli;

/// <summary>
/// A store row's <c>extra</c> photos: the synthetic query splits it holds beside the database photos (the controlled
/// comparison's store holds every photo the GPS head was trained on). Each split is generated when missing and
/// indexed with the configured model under ids prefixed by its seed. The indexing job skips ids already stored, so a
/// killed build resumes and a finished one costs only the existence checks.
/// </summary>
internal static class EvalStoreExtras
{
    public static async Task EnsureAsync(StoreOverride spec, StoreSettings settings, ModelSettings model, TextWriter error, CancellationToken cancellationToken)
    {
        if (spec.Extra is not { Count: > 0 } extra) return;
        foreach (var split in extra)
            await EvalSyntheticSplits.EnsureAsync(split, G3Paths.Resolve(split.Folder), error, cancellationToken);

        using var encoder = ImageEncoder.Open(G3Paths.Resolve(model.Manifest), model.ImageSession());
        using var store = (IDisposable)ReferenceStores.Open(settings, G3Paths.Resolve, encoder.Model.Manifest.Id, encoder.Model.Spec.Retrieval.Dimension, create: false);
        var references = (G3.Core.Ports.IReferenceStore)store;
        var before = await references.CountAsync(cancellationToken);
        var bar = new ConsoleProgress("extra", spec.ExtraPhotos);
        var report = G3Paths.Resolve(Path.Combine(spec.Directory + ".extra-report.tsv"));
        var summary = await new IndexJob(encoder, references, new IndexOptions()).RunAsync(Items(extra, cancellationToken), report,
            p => bar.Report(p.Seen, $"{p.Indexed} indexed, {p.Skipped} already stored, {p.Failed} failed"), cancellationToken);
        bar.Complete(summary.Seen, $"{summary.Indexed} indexed, {summary.Skipped} already stored, {summary.Failed} failed");
        cancellationToken.ThrowIfCancellationRequested();
        if (summary.Failed > 0)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{summary.Failed} extra photos of {ReferenceStores.Describe(settings, G3Paths.Resolve)} could not be indexed (see {report}); the store would not hold what the row says"));
        if (summary.Indexed > 0)
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"eval: {ReferenceStores.Describe(settings, G3Paths.Resolve)}: {before} rows + {summary.Indexed} extra photos indexed in {summary.Elapsed.TotalSeconds:0} s"));
    }

    private static async IAsyncEnumerable<IndexItem> Items(IReadOnlyList<SyntheticQuerySplit> extra, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var split in extra)
        {
            var root = G3Paths.Resolve(split.Folder);
            await foreach (var r in Mp16CsvReader.ReadAsync(SyntheticWorldLayout.QueryMetadata(root), null, cancellationToken))
                yield return new IndexItem(split.StoreId(r.Id), r.Point, r.Place, Path.Combine(SyntheticWorldLayout.QueryImages(root), r.Id));
        }
    }
}
