using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using G3.Alignment.Models;
using G3.Host.Composition;
using G3.Evaluation;
using G3.Host.Hosting;
using G3.Retrieval;

namespace G3.Cli;

/// <summary>
/// <c>g3 eval experiment.json [--limit N] [--out DIR]</c> runs a prompt-ablation experiment (resumable,
/// LMM answers cached; <c>--max-cost</c> stops it at a cost cap, resumably); <c>g3 eval --report RUN_DIR</c> re-renders its reports from the JSON lines.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var experiment = new Argument<FileInfo?>("experiment") { Description = "The experiment file (see experiments/README.md).", Arity = ArgumentArity.ZeroOrOne };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N images (N ≥ 1)." };
        limit.Check(n => n < 1 ? $"--limit must be a positive number of images (got {n})." : null);
        var output = new Option<DirectoryInfo?>("--out") { Description = "Run folder (default: runs/<experiment name> in the repository root); a rerun resumes in it." };
        var maxCost = new Option<decimal?>("--max-cost")
        {
            Description = "Cost cap over the run folder's results, at the providers' configured prices (Lmm:Providers:NAME:Price): no image starts that would pass it; a rerun resumes.",
        };
        maxCost.Check(c => c < 0 ? $"--max-cost must not be negative (got {c})." : null);
        var report = new Option<DirectoryInfo?>("--report") { Description = "Only re-render the reports of this run folder (no model, no LMM call)." };
        var command = new Command("eval", "Run an evaluation / prompt-ablation experiment and write the paper-style table, CSV, JSON and a plot.")
        {
            experiment, limit, output, maxCost, report,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(experiment), parse.GetValue(limit), parse.GetValue(output), parse.GetValue(maxCost),
            parse.GetValue(report), parse, ct));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo? file, int? limit, DirectoryInfo? outDir, decimal? maxCost, DirectoryInfo? reportDir, ParseResult parse,
        CancellationToken ct)
    {
        var stdout = parse.InvocationConfiguration.Output;
        var stderr = parse.InvocationConfiguration.Error;
        try
        {
            if (reportDir is not null)
            {
                var meta = ReadRunInfo(reportDir.FullName);
                await stdout.WriteLineAsync(Reports.Write(reportDir.FullName, meta.Name, meta.Kind, meta.Stopped, meta.Baselines));
                return 0;
            }
            if (file is null)
            {
                await stderr.WriteLineAsync("eval: give an experiment file, or --report RUN_DIR");
                return ExitCodes.Usage;
            }
            var experiment = Experiment.Load(file.FullName);
            if (experiment.Dataset.World is { } testWorld)
                await EvalSyntheticSplits.EnsureAsync(testWorld, testWorld.Folder, stderr, ct);
            var run = outDir?.FullName ?? G3Paths.Resolve(Path.Combine("runs", experiment.Name));
            Directory.CreateDirectory(run);
            File.WriteAllText(Path.Combine(run, "run.json"), JsonSerializer.Serialize(new RunInfo(experiment.Name, experiment.Dataset.Kind, Baselines: experiment.Baselines)));

            var configuration = CliConfiguration.Build(parse.UnmatchedTokens);
            await using var services = CliServices.Build(configuration, LogLevel.Information);
            var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("eval");
            var world = new SyntheticFirstStartWorld();
            var first = G3Settings.Value<FirstStartSettings>(services);
            var model = G3Settings.Value<ModelSettings>(services);
            // On a fresh machine the embedded default does not exist yet: build it as the service's first start does.
            var store = G3Settings.Value<StoreSettings>(services);
            await StoreBuildNotice.WriteAsync(first, store, model, world, stderr, "eval", "before the first image");
            await FirstStart.EnsureStoreAsync(first, store, model, world, _ => { }, log, ct);
            var runtime = new ExperimentRuntime(services);
            var manifest = services.GetRequiredService<ModelManifest>();
            var cache = services.GetRequiredService<G3Pipelines>().Cache;
            async Task<G3.Core.Ports.IReferenceStore> OpenStore(StoreOverride spec, CancellationToken token)
            {
                var settings = spec.Settings(store.Embedded.Hnsw);
                // A row with its own store (float16, or an HNSW index) retrieves from the whole database, as the other rows do: --limit
                // shrinks the query images, not this store, since a store of fewer photos would measure another
                // retrieval. Built once (the same photos re-encoded, a few minutes here) and reused by later runs.
                await StoreBuildNotice.WriteAsync(first, settings, model, world, stderr, "eval",
                    "for the rows that name it; --limit does not shrink it, as those rows retrieve from the whole database");
                await FirstStart.EnsureStoreAsync(first, settings, model, world, _ => { }, log, token);
                await EvalStoreExtras.EnsureAsync(spec, settings, model, stderr, token);
                return await EvalStoreIndex.OpenAsync(settings, manifest.Id, manifest.RequireImage().Retrieval.Dimension, stderr, token);
            }
            ConsoleProgress? bar = null;
            var (ran, resumed, encoderCalls, batched, batchRuns, stopped) = await new EvalRunner(runtime, OpenStore, maxCost: maxCost).RunAsync(experiment, run, limit, p =>
            {
                bar ??= new ConsoleProgress("eval", p.Total);
                bar.Report(p.Done, string.Create(CultureInfo.InvariantCulture, $"acc@25km {p.AccuracyAt25Km:0.0}%  acc@750km {p.AccuracyAt750Km:0.0}%"));
            }, ct);
            bar?.Complete(ran + resumed);
            await stdout.WriteLineAsync($"eval: {ran} evaluated, {resumed} already in {Path.Combine(run, ResultsFile.FileName)}, {encoderCalls} images encoded ({batched} in {batchRuns} batched model runs), LMM cache {cache.Hits} hits / {cache.Writes} new answers / {cache.InFlight.Shared} shared in flight");
            if (stopped is not null)
                File.WriteAllText(Path.Combine(run, "run.json"), JsonSerializer.Serialize(new RunInfo(experiment.Name, experiment.Dataset.Kind, stopped.Describe(), experiment.Baselines)));
            await stdout.WriteLineAsync(Reports.Write(run, experiment.Name, experiment.Dataset.Kind, stopped?.Describe(), experiment.Baselines));
            await stdout.WriteLineAsync($"reports: {run}/report.md, report.csv, report.json, accuracy.svg");
            if (stopped is null) return 0;
            // Like Ctrl-C: every finished result is kept and a rerun resumes.
            await stderr.WriteLineAsync("eval: " + stopped.Describe());
            return ExitCodes.Interrupted;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("eval: stopped; every finished result is kept, run again to resume");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException or G3.Core.Errors.G3Exception or G3.Core.Options.G3OptionsException or ArgumentException)
        {
            await stderr.WriteLineAsync("eval: " + e.Message);
            return ExitCodes.Failure;
        }
    }

    /// <param name="Stopped">Where the last run stopped short of its end (the cost cap); null: it did not.</param>
    /// <param name="Baselines">The experiment's rows that name their own baseline, so a re-rendered report compares the same pairs.</param>
    private sealed record RunInfo(string Name, string Kind, string? Stopped = null, IReadOnlyDictionary<string, string>? Baselines = null);

    private static RunInfo ReadRunInfo(string run)
    {
        var path = Path.Combine(run, "run.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<RunInfo>(File.ReadAllText(path))! : new RunInfo(Path.GetFileName(run), "");
    }
}
