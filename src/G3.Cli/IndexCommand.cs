using System.CommandLine;
using System.Globalization;
using System.Runtime.CompilerServices;
using G3.Alignment.Encoders;
using G3.Core.Errors;
using G3.Core.Options;
using G3.Host.Composition;
using G3.Retrieval;
using G3.Retrieval.Indexing;
using G3.Retrieval.Mp16;

namespace G3.Cli;

/// <summary>
/// <c>g3 index</c>: encodes an MP16-Pro-style photo collection with a model's image encoder into the
/// configured reference store. Resumable (ids already stored are skipped) and Ctrl-C safe; <c>--shard i/n</c>
/// splits the work across machines or processes, <c>--dry-run</c> prints the plan.
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
        var shard = new Option<string?>("--shard")
        {
            Description = "Index only shard i of n (e.g. 2/3, counting from 1): photos are dealt by a fixed hash of their id, so n machines " +
                          "or processes can fill one Qdrant collection at once, with no photo twice and none missed.",
        };
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "Print the plan and write nothing: rows, shard sizes, vector bytes, and the time this shard would take at the encoder's measured rate.",
        };
        var command = new Command("index",
            "Encode MP16-Pro photos into the reference store (Store:Kind in appsettings.json, or --Store:Kind=qdrant ...). " +
            "Resumable: ids already in the store are skipped. Ctrl-C stops cleanly and keeps what was committed.")
        {
            metadata, images, batch, workers, report, shard, dryRun,
        };
        model.AddTo(command);
        command.TreatUnmatchedTokensAsErrors = false; // --Section:Key=value settings pass through
        command.SetAction((parse, ct) => RunAsync(
            parse.GetRequiredValue(model.Manifest).FullName, model, parse, parse.GetRequiredValue(metadata), parse.GetRequiredValue(images),
            new IndexOptions(parse.GetValue(batch), parse.GetValue(workers)), parse.GetValue(report), parse.GetValue(shard), parse.GetValue(dryRun), ct));
        return command;
    }

    private static async Task<int> RunAsync(string manifestPath, EncodeCommands.ModelOptions model, ParseResult parse,
        FileInfo metadata, DirectoryInfo images, IndexOptions options, FileInfo? report, string? shardText, bool dryRun,
        CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        if (!metadata.Exists) { await error.WriteLineAsync($"index: metadata file {metadata.FullName} does not exist"); return 2; }
        if (!images.Exists) { await error.WriteLineAsync($"index: image folder {images.FullName} does not exist"); return 2; }
        var shard = IndexShard.All;
        if (shardText is not null && !IndexShard.TryParse(shardText, out shard, out var shardError))
        {
            await error.WriteLineAsync("index: --shard " + shardError);
            return 2;
        }
        var reportPath = report?.FullName ?? Path.Combine(metadata.DirectoryName!, "index-report.tsv");

        try
        {
            options.EnsureValid();
            var settings = G3Settings.Load<StoreSettings>(CliConfiguration.Build(parse.UnmatchedTokens));
            using var encoder = ImageEncoder.Open(manifestPath, model.SessionOptions(parse));
            if (dryRun)
                return await PrintPlanAsync(output, settings, encoder, metadata, images, options, shard, cancellationToken);
            var store = ReferenceStores.Open(settings, G3Paths.Resolve, encoder.Model.Manifest.Id, encoder.Model.Spec.Retrieval.Dimension, create: true);
            try
            {
                var total = await CountRowsAsync(metadata.FullName, cancellationToken);
                var part = shard.Count > 1 ? $" (shard {shard} of them)" : "";
                await output.WriteLineAsync($"index: {total} rows in {metadata.Name}{part} → {ReferenceStores.Describe(settings, G3Paths.Resolve)} with model {encoder.Model.Manifest.Id}");
                var badRows = new List<Mp16RowError>();
                // Sharded: the bar counts every CSV row, since a shard's size is known only after reading them all.
                var progress = new ConsoleProgress("index", shard.Count > 1 ? null : total);
                var job = new IndexJob(encoder, store, options);
                var summary = await job.RunAsync(shard.Filter(Items(metadata.FullName, images.FullName, badRows, cancellationToken), cancellationToken), reportPath,
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
                if (summary.Cancelled) return 130;
                return await BuildIndexAsync(output, store, settings, cancellationToken);
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

    /// <summary>Store:Embedded:Index=hnsw: builds (or resumes, or extends) the HNSW index of the committed vectors.</summary>
    private static async Task<int> BuildIndexAsync(TextWriter output, G3.Core.Ports.IReferenceStore store, StoreSettings settings, CancellationToken cancellationToken)
    {
        ConsoleProgress? bar = null;
        var progress = new Progress<G3.Retrieval.Embedded.Hnsw.HnswBuildProgress>(p =>
            (bar ??= new ConsoleProgress("hnsw", p.Total)).Report(p.Indexed, p.Checkpointed ? "checkpointed" : ""));
        var built = await Task.Run(() => ReferenceStores.BuildIndex(store, settings, progress, cancellationToken), CancellationToken.None);
        if (built is null) return 0;
        bar?.Complete(built.Rows, "");
        var c = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(built.Cancelled
            ? string.Create(c, $"hnsw: stopped (Ctrl-C) at {built.Rows} rows, checkpointed; run again to resume")
            : built.ResumedFrom == built.Rows
                ? string.Create(c, $"hnsw: index of {built.Rows} rows is up to date ({built.File})")
                : string.Create(c, $"hnsw: {built.Rows} rows indexed ({built.Rows - built.ResumedFrom} added, from row {built.ResumedFrom}) in {built.Elapsed.TotalSeconds:0.#} s on {built.Threads} threads, {built.VectorsPerSecond:0} vectors/s → {built.File}"));
        return built.Cancelled ? 130 : 0;
    }

    /// <summary>--dry-run: reads the CSV and a batch of this shard's photos, opens no store, writes nothing.</summary>
    private static async Task<int> PrintPlanAsync(TextWriter output, StoreSettings settings, ImageEncoder encoder, FileInfo metadata,
        DirectoryInfo images, IndexOptions options, IndexShard shard, CancellationToken cancellationToken)
    {
        var dimension = encoder.Model.Spec.Retrieval.Dimension;
        var (bytesPerVector, layout) = ReferenceStores.VectorLayout(settings, dimension);
        var badRows = new List<Mp16RowError>();
        var plan = await IndexPlan.CountAsync(Ids(metadata.FullName, badRows, cancellationToken), () => badRows.Count, shard, bytesPerVector, cancellationToken);
        var rate = await EncoderRate.MeasureAsync(encoder, shard.Filter(Items(metadata.FullName, images.FullName, [], cancellationToken), cancellationToken),
            options.BatchSize, options.Workers, cancellationToken);

        var c = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            $"index --dry-run: the plan; nothing is written",
            $"  destination     {ReferenceStores.Describe(settings, G3Paths.Resolve)}, model {encoder.Model.Manifest.Id} ({dimension} dimensions)",
            string.Create(c, $"  rows            {plan.Rows} photos in {metadata.Name}, {plan.BadRows} bad CSV rows"),
            string.Create(c, $"  shard           {shard}: {plan.ShardRows} photos"),
            "  shard sizes     " + string.Join("  ", plan.ShardSizes.Select((n, i) => string.Create(c, $"{i + 1}/{shard.Count}: {n}"))),
            string.Create(c, $"  vector bytes    {IndexPlan.FormatBytes(plan.ShardVectorBytes)} for this shard, {IndexPlan.FormatBytes(plan.TotalVectorBytes)} for all rows ({bytesPerVector} B per photo, {layout})"),
        };
        if (rate is null)
            lines.Add(plan.ShardRows == 0
                ? "  encoder rate    not measured: this shard holds no photo"
                : "  encoder rate    not measured: none of the shard's first photos could be read");
        else
        {
            lines.Add(string.Create(c,
                $"  encoder rate    {rate.ImagesPerSecond:0.#} photos/s, measured on {rate.Images} photos: decode {rate.DecodePerImage.TotalMilliseconds:0.#} ms each on {rate.DecodeWorkers} workers, model {rate.ModelPerImage.TotalMilliseconds:0.#} ms each at batch {rate.Images}"));
            lines.Add("  estimated time  " + rate.Estimate(plan.ShardRows).ToString(@"d\.hh\:mm\:ss", c) + " for this shard (store writes not included)");
        }
        foreach (var line in lines) await output.WriteLineAsync(line);
        return 0;
    }

    private static async IAsyncEnumerable<string> Ids(string csv, List<Mp16RowError> badRows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var r in Mp16CsvReader.ReadAsync(csv, badRows.Add, cancellationToken))
            yield return r.Id;
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
