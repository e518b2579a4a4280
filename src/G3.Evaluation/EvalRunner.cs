using G3.Alignment.Encoders;
using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Levels;
using G3.Core.Options;
using G3.Core.Pipeline;
using G3.Core.Ports;
using G3.Diversification.Prompts;
using G3.Diversification.Providers;
using G3.Retrieval.Mp16;
using G3.Verification.Selectors;

namespace G3.Evaluation;

/// <summary>Running totals shown while an experiment runs.</summary>
internal sealed record EvalProgress(int Done, int Total, int Resumed, double AccuracyAt25Km, double AccuracyAt750Km);

/// <summary>What a run did: results written now, results found from an earlier run, images encoded, and how
/// many of them went through batched model runs (and how many runs that took), and where the cost cap stopped it (null: it did not).</summary>
internal readonly record struct EvalSummary(int Ran, int Resumed, int EncoderCalls, int Batched, int BatchRuns, BudgetStop? Stopped = null);

/// <summary>
/// Runs every image × configuration of an experiment with bounded concurrency through the service's
/// own pipeline (LMM response cache included), appending one JSON line per result as it goes. A rerun
/// resumes: finished (configuration, image) pairs are skipped. Cancelling keeps every line written; so does the cost cap
/// (<paramref name="maxCost"/>, see <see cref="CostBudget"/>), which starts no further image and lets those in flight finish.
/// When the runtime has a batch interface, the images still to evaluate are first encoded in full
/// batches (<paramref name="batching"/>; default <see cref="BatchEncodingOptions"/>) into the run's
/// embedding cache, so the per-image pipelines do not send them to the model one at a time.
/// </summary>
internal sealed class EvalRunner(IExperimentRuntime runtime, Func<StoreOverride, CancellationToken, Task<IReferenceStore>>? openStore = null,
    BatchEncodingOptions? batching = null, decimal? maxCost = null)
{
    public async Task<EvalSummary> RunAsync(Experiment experiment, string outDir, int? limit,
        Action<EvalProgress>? onProgress, CancellationToken cancellationToken)
    {
        var rows = await ReadDatasetAsync(experiment, limit ?? experiment.Limit, cancellationToken);
        var views = experiment.Dataset.Views is { } viewsFile ? MultiViewDataset.Load(viewsFile) : null;
        using var results = ResultsFile.Open(outDir);
        var done = results.Existing.Select(r => (r.Configuration, r.ImageId)).ToHashSet();
        var encoder = new CachingImageEncoder(runtime.ImageEncoder);

        var configurations = experiment.Configurations.Select(c => c.Over(experiment.Defaults)).ToList();
        if ((maxCost ?? experiment.MaxCost) is not null) EnsurePriced(configurations);
        var stores = new Dictionary<StoreOverride, IReferenceStore>();
        foreach (var spec in configurations.Select(c => c.Store).OfType<StoreOverride>().Distinct())
            stores[spec] = openStore is null
                ? throw new InvalidDataException("this runner cannot open per-configuration stores")
                : await openStore(spec, cancellationToken);
        try
        {
            return await RunCoreAsync(experiment, rows, views, results, done, encoder, configurations, stores, onProgress, cancellationToken);
        }
        finally
        {
            foreach (var s in stores.Values) (s as IDisposable)?.Dispose();
        }
    }

    private async Task<EvalSummary> RunCoreAsync(Experiment experiment, List<Mp16Record> rows, MultiViewDataset? views, ResultsFile results,
        HashSet<(string, string)> done, CachingImageEncoder encoder, List<ConfigurationSpec> configurations, Dictionary<StoreOverride, IReferenceStore> stores,
        Action<EvalProgress>? onProgress, CancellationToken cancellationToken)
    {
        var pipelines = configurations.ToDictionary(c => c.Name, c =>
        {
            var templates = c.Prompts is null ? null : PromptTemplates.FromDirectory(Path.GetFullPath(c.Prompts));
            return runtime.CreatePipeline(c.Provider, Selector(c.Selector, runtime), templates, encoder,
                c.Store is null ? null : stores[c.Store], c.Generation(templates ?? PromptTemplates.Default));
        });
        var work = configurations.SelectMany(c => rows.Select(r => (Config: c, Row: r))).Where(w => !done.Contains((w.Config.Name, w.Row.Id))).ToList();
        var (batched, batchRuns) = runtime.ImageBatchEncoder is { } model
            ? await EmbeddingPrefill.RunAsync(model, batching ?? new BatchEncodingOptions(), encoder,
                work.SelectMany(w => Photos(w.Config, w.Row, views)).Select(id => Path.Combine(experiment.Dataset.ImagesPath, id)).Distinct(StringComparer.Ordinal).ToList(), cancellationToken)
            : (0, 0);

        var total = configurations.Count * rows.Count;
        var finished = total - work.Count;
        int within25 = results.Existing.Count(r => r.ErrorKm <= 25), within750 = results.Existing.Count(r => r.ErrorKm <= 750), counted = results.Existing.Count;
        var gate = new Lock();
        var cap = maxCost ?? experiment.MaxCost;
        var budget = cap is { } c ? new CostBudget(c, results.Existing) : null;
        var ran = 0;
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = experiment.Concurrency, CancellationToken = cancellationToken }, async (w, ct) =>
        {
            var reservation = 0m;
            if (budget is not null && !budget.TryReserve(w.Config.Name, out reservation)) return;
            var record = await EvaluateAsync(pipelines[w.Config.Name], w.Config, w.Row, views, experiment.Dataset.ImagesPath, ct);
            results.Append(record);
            budget?.Settle(w.Config.Name, reservation, record.Usage?.Cost);
            lock (gate)
            {
                ran++;
                finished++;
                counted++;
                if (record.ErrorKm <= 25) within25++;
                if (record.ErrorKm <= 750) within750++;
                onProgress?.Invoke(new EvalProgress(finished, total, total - work.Count, 100.0 * within25 / counted, 100.0 * within750 / counted));
            }
        });
        var stopped = budget is { Stopped: true } ? new BudgetStop(budget.Spent, cap!.Value, work.Count - ran) : null;
        return new EvalSummary(ran, total - work.Count, encoder.EncoderCalls, batched, batchRuns, stopped);
    }

    /// <summary>A cost cap needs every provider a configuration may call (its fallbacks included) to have a price.</summary>
    private void EnsurePriced(IEnumerable<ConfigurationSpec> configurations)
    {
        var lmm = runtime.Lmm ?? throw new InvalidDataException("a cost cap needs the LMM providers' prices, which this runner does not have");
        var providers = lmm.Providers.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<string>(configurations.Select(c => c.Provider ?? lmm.Default));
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (pending.TryDequeue(out var name))
        {
            if (!seen.Add(name) || !providers.TryGetValue(name, out var provider) || provider.Kind == LmmProviderKinds.None) continue;
            if (provider.Price is null)
                throw new InvalidDataException($"a cost cap needs the price of provider '{name}': set Lmm:Providers:{name}:Price (see appsettings.json)");
            foreach (var fallback in provider.Fallbacks) pending.Enqueue(fallback);
        }
    }

    /// <summary>The photos a configuration asks about a row with: the row's image, or the first N photos of its place.</summary>
    internal static IReadOnlyList<string> Photos(ConfigurationSpec config, Mp16Record row, MultiViewDataset? views) =>
        config.Views is > 1 ? views!.ViewsOf(row.Id, config.Views.Value) : [row.Id];

    private async Task<EvalRecord> EvaluateAsync(G3Pipeline pipeline, ConfigurationSpec config, Mp16Record row, MultiViewDataset? views, string images, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var record = new EvalRecord
        {
            Configuration = config.Name,
            ImageId = row.Id,
            TrueLatitude = row.Point.Latitude,
            TrueLongitude = row.Point.Longitude,
            Views = config.Views ?? 1,
        };
        try
        {
            var photos = new List<QueryImage>();
            foreach (var id in Photos(config, row, views))
                photos.Add(new QueryImage(await File.ReadAllBytesAsync(Path.Combine(images, id), ct)));
            var options = (config.G3 ?? new G3OptionsOverrides()).ApplyTo(runtime.Defaults);
            var result = await pipeline.RunAsync(new PlaceQuery(photos), options, cancellationToken: ct);
            return record with
            {
                PredictedLatitude = result.Point.Latitude,
                PredictedLongitude = result.Point.Longitude,
                ErrorKm = GreatCircle.DistanceKm(result.Point, row.Point),
                Degraded = result.Degraded,
                Unparsable = result.LmmCandidates.Count(c => c.Outcome == ParseOutcome.Unparsable),
                InvalidCoordinates = result.LmmCandidates.Count(c => c.Outcome == ParseOutcome.Invalid),
                ProviderErrors = result.LmmCandidates.Count(c => c.Outcome == ParseOutcome.ProviderError),
                ElapsedMs = started.Elapsed.TotalMilliseconds,
                Candidates = result.Ranked.Select(s => Candidate(s.Candidate, s.Score, s.Rank))
                    .Concat(result.LmmCandidates.Where(c => !c.IsValid).Select(c => Candidate(c, null, null))).ToList(),
                Levels = result.Levels is { } levels && runtime.Levels is { } geocoded ? Levels(levels, geocoded.UnitsAt(row.Point)) : null,
                Usage = LmmCost.Of(result.LmmCalls, photos.Count, runtime.Lmm),
                ViewPairSimilarities = result.Views?.Pairs.Select(p => Math.Round(p.Similarity, 5)).ToList(),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return record with { Error = $"{e.GetType().Name}: {e.Message}", ElapsedMs = started.Elapsed.TotalMilliseconds };
        }
    }

    /// <summary>Each level's answer beside the truth's unit (the true coordinates reverse-geocoded by the same geocoder).</summary>
    private static List<EvalLevel> Levels(PlaceLevels levels, PointUnits truth) => levels.All
        .Select(a => new EvalLevel(a.Level.ToString(), a.Unit?.Key, a.Unit?.Name, a.Confidence, a.Uncertain,
            truth.At(a.Level)?.Key, truth.At(a.Level)?.Name))
        .ToList();

    private static EvalCandidate Candidate(Candidate c, double? score, int? rank) => new(
        c.Source.ToString(), c.Point?.Latitude, c.Point?.Longitude, score, c.Outcome.ToString(), c.Variant?.Index, c.SampleIndex, rank ?? c.Rank);

    /// <summary>The configuration's selector; null keeps the runtime's own (the service's Pipeline:Selector).</summary>
    internal static G3.Core.Ports.IVerifier? Selector(string? name, IExperimentRuntime runtime) =>
        string.IsNullOrWhiteSpace(name) ? null
        : SelectorCatalog.Find(name) is { } known ? runtime.Selector(known)
        : throw new InvalidDataException(SelectorCatalog.Unknown(name));

    internal static async Task<List<Mp16Record>> ReadDatasetAsync(Experiment experiment, int? limit, CancellationToken ct)
    {
        var rows = new List<Mp16Record>();
        await foreach (var r in Mp16CsvReader.ReadAsync(experiment.Dataset.MetadataPath, null, ct))
        {
            rows.Add(r);
            if (limit is { } n && rows.Count >= n) break;
        }
        return rows;
    }
}
