using System.CommandLine;
using System.Globalization;
using System.Runtime.CompilerServices;
using G3.Alignment.Encoders;
using G3.Alignment.Indexing;
using G3.Alignment.Mp16;
using G3.Core.Errors;
using G3.Core.Options;
using G3.Host.Composition;

namespace G3.Host.Cli;

/// <summary>
/// <c>g3 index</c>: encodes an MP16-Pro-style photo collection with a model's image encoder into the
/// configured reference store. Resumable (ids already stored are skipped) and Ctrl-C safe.
/// </summary>
internal static class IndexCommand
{
    public static Command Create()
    {
        var model = EncodeCommands.ModelOptions.Create("image model");
        var metadata = new Option<FileInfo>("--metadata") { Description = "MP16-Pro metadata CSV (IMG_ID, LAT, LON, optional place columns).", Required = true };
        var images = new Option<DirectoryInfo>("--images") { Description = "Folder the IMG_ID paths are relative to.", Required = true };
        var batch = new Option<int>("--batch") { Description = "Images per model run and per store upsert.", DefaultValueFactory = _ => 32 };
        var workers = new Option<int>("--workers") { Description = "Parallel image decoders (0 = one per core).", DefaultValueFactory = _ => 0 };
        var report = new Option<FileInfo?>("--report") { Description = "Where to list unreadable images and bad CSV rows (default: index-report.tsv beside the CSV)." };
        var command = new Command("index",
            "Encode MP16-Pro photos into the reference store (Store:Kind in appsettings.json, or --Store:Kind=qdrant ...). " +
            "Resumable: ids already in the store are skipped. Ctrl-C stops cleanly and keeps what was committed.")
        {
            metadata, images, batch, workers, report,
        };
        model.AddTo(command);
        command.TreatUnmatchedTokensAsErrors = false; // --Section:Key=value settings pass through
        command.SetAction((parse, ct) => RunAsync(
            parse.GetRequiredValue(model.Manifest).FullName, model, parse, parse.GetRequiredValue(metadata), parse.GetRequiredValue(images),
            new IndexOptions(parse.GetValue(batch), parse.GetValue(workers)), parse.GetValue(report), ct));
        return command;
    }

    private static async Task<int> RunAsync(string manifestPath, EncodeCommands.ModelOptions model, ParseResult parse,
        FileInfo metadata, DirectoryInfo images, IndexOptions options, FileInfo? report, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        if (!metadata.Exists) { await error.WriteLineAsync($"index: metadata file {metadata.FullName} does not exist"); return 2; }
        if (!images.Exists) { await error.WriteLineAsync($"index: image folder {images.FullName} does not exist"); return 2; }
        var reportPath = report?.FullName ?? Path.Combine(metadata.DirectoryName!, "index-report.tsv");

        try
        {
            options.EnsureValid();
            var settings = CliConfiguration.Store(CliConfiguration.Build(parse.UnmatchedTokens));
            using var encoder = ImageEncoder.Open(manifestPath, model.SessionOptions(parse));
            var store = StoreFactory.Open(settings, encoder.Model.Manifest.Id, encoder.Model.Spec.Retrieval.Dimension, create: true);
            try
            {
                var total = await CountRowsAsync(metadata.FullName, cancellationToken);
                await output.WriteLineAsync($"index: {total} rows in {metadata.Name} → {settings.Describe()} with model {encoder.Model.Manifest.Id}");
                var badRows = new List<Mp16RowError>();
                var progress = new ConsoleProgress("index", total);
                var job = new IndexJob(encoder, store, options);
                var summary = await job.RunAsync(Items(metadata.FullName, images.FullName, badRows, cancellationToken), reportPath,
                    p => progress.Report(p.Seen, $"{p.Indexed} indexed, {p.Skipped} skipped, {p.Failed} failed"), cancellationToken);
                progress.Complete(summary.Seen, $"{summary.Indexed} indexed, {summary.Skipped} skipped, {summary.Failed} failed");
                await AppendBadRowsAsync(reportPath, metadata.Name, badRows);

                var lines = new List<string>
                {
                    $"index: {(summary.Cancelled ? "stopped (Ctrl-C); committed work is kept, run again to resume" : "done")} in {summary.Elapsed.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture)}",
                    $"  rows read       {summary.Seen}",
                    $"  indexed         {summary.Indexed}",
                    $"  already stored  {summary.Skipped}",
                    $"  unreadable      {summary.Failed}",
                    $"  bad CSV rows    {badRows.Count}",
                    $"  store now holds {await store.CountAsync(CancellationToken.None)}",
                };
                if (summary.Failed + badRows.Count > 0) lines.Add($"  report          {reportPath}");
                foreach (var line in lines) await output.WriteLineAsync(line);
                return summary.Cancelled ? 130 : 0;
            }
            finally
            {
                (store as IDisposable)?.Dispose();
            }
        }
        catch (Exception e) when (e is G3Exception or G3OptionsException or ArgumentException or IOException)
        {
            await error.WriteLineAsync("index: " + e.Message);
            return 1;
        }
    }

    private static async IAsyncEnumerable<IndexItem> Items(string csv, string imageRoot, List<Mp16RowError> badRows,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var r in Mp16CsvReader.ReadAsync(csv, badRows.Add, cancellationToken))
            yield return new IndexItem(r.Id, r.Point, r.Place, Path.Combine(imageRoot, r.Id));
    }

    private static async Task<long> CountRowsAsync(string csv, CancellationToken cancellationToken)
    {
        long lines = 0;
        using var reader = new StreamReader(csv);
        while (await reader.ReadLineAsync(cancellationToken) is not null) lines++;
        return Math.Max(0, lines - 1);
    }

    private static async Task AppendBadRowsAsync(string reportPath, string source, List<Mp16RowError> badRows)
    {
        if (badRows.Count == 0) return;
        await File.AppendAllLinesAsync(reportPath, badRows.Select(b => $"{source}:{b.Line}\t\tbad CSV row: {b.Reason}"));
    }
}
