using G3.Core.Pipeline;
using G3.Core.Options;
using G3.Core.Ports;
using G3.Core.Usage;
using G3.Diversification.Planning;
using G3.Diversification.Prompts;
using G3.Diversification.Providers;
using G3.Diversification.Resilience;
using G3.Diversification.Tokens;
using G3.Retrieval.Mp16;

namespace G3.Evaluation;

/// <summary>
/// Plans an experiment without calling any LMM (g3 eval --plan): every image × configuration pair the run would still
/// evaluate goes through the same pipeline (encoding, retrieval, the same prompts) with a generator in plan mode, which looks
/// each sample up in the same LMM response cache under the same keys and records the calls still needed
/// (<see cref="LmmCallPlan"/>). Nothing is written: not the run folder, not the cache. Configurations are planned one after
/// another, in the experiment's order, so a request two configurations share is counted once, for the first.
/// </summary>
internal sealed class EvalPlanner(IExperimentRuntime runtime, Func<StoreOverride, CancellationToken, Task<IReferenceStore>>? openStore = null,
    BatchEncodingOptions? batching = null)
{
    public async Task<EvalPlan> PlanAsync(Experiment experiment, string runDirectory, int? limit, Action<int, int>? onProgress, CancellationToken cancellationToken)
    {
        var lmm = runtime.Lmm ?? throw new InvalidDataException("a plan needs the LMM configuration, which this runtime does not have");
        var rows = await EvalRunner.ReadDatasetAsync(experiment, limit ?? experiment.Limit, cancellationToken);
        var views = experiment.Dataset.Views is { } viewsFile ? MultiViewDataset.Load(viewsFile) : null;
        var done = File.Exists(Path.Combine(runDirectory, ResultsFile.FileName))
            ? ResultsFile.Read(runDirectory).Select(r => (r.Configuration, r.ImageId)).ToHashSet()
            : [];
        var configurations = experiment.Configurations.Select(c => c.Over(experiment.Defaults)).ToList();
        var stores = new Dictionary<StoreOverride, IReferenceStore>();
        try
        {
            foreach (var spec in configurations.Select(c => c.Store).OfType<StoreOverride>().Distinct())
                stores[spec] = openStore is null
                    ? throw new InvalidDataException("this planner cannot open per-configuration stores")
                    : await openStore(spec, cancellationToken);
            return await PlanCoreAsync(experiment, lmm, rows, views, done, configurations, stores, onProgress, cancellationToken);
        }
        finally
        {
            foreach (var s in stores.Values) (s as IDisposable)?.Dispose();
        }
    }

    private async Task<EvalPlan> PlanCoreAsync(Experiment experiment, LmmOptions lmm, List<Mp16Record> rows, MultiViewDataset? views, HashSet<(string, string)> done,
        List<ConfigurationSpec> configurations, Dictionary<StoreOverride, IReferenceStore> stores, Action<int, int>? onProgress, CancellationToken cancellationToken)
    {
        var providers = new Dictionary<string, LmmProviderOptions>(lmm.Providers, StringComparer.OrdinalIgnoreCase);
        var encoder = new CachingImageEncoder(runtime.ImageEncoder);
        var work = configurations.SelectMany(c => rows.Select(r => (Config: c, Row: r))).Where(w => !done.Contains((w.Config.Name, w.Row.Id))).ToList();
        if (runtime.ImageBatchEncoder is { } model && work.Count > 0)
            await EmbeddingPrefill.RunAsync(model, batching ?? new BatchEncodingOptions(), encoder,
                work.SelectMany(w => EvalRunner.Photos(w.Config, w.Row, views)).Select(id => Path.Combine(experiment.Dataset.ImagesPath, id)).Distinct(StringComparer.Ordinal).ToList(),
                cancellationToken);

        var plan = new LmmCallPlan(lmm);
        var planned = new List<ConfigurationPlan>();
        var finished = 0;
        foreach (var config in configurations)
        {
            var name = config.Provider ?? lmm.Default;
            var provider = providers.GetValueOrDefault(name);
            var pending = work.Where(w => w.Config.Name == config.Name).Select(w => w.Row).ToList();
            var failed = 0;
            if (provider is not null && provider.Kind != LmmProviderKinds.None && pending.Count > 0)
            {
                var templates = config.Prompts is null ? null : PromptTemplates.FromDirectory(Path.GetFullPath(config.Prompts));
                var pipeline = runtime.CreatePlanningPipeline(plan, config.Provider, templates, encoder, config.Store is null ? null : stores[config.Store],
                    config.Generation(templates ?? PromptTemplates.Default));
                var options = (config.G3 ?? new G3OptionsOverrides()).ApplyTo(runtime.Defaults);
                await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = experiment.Concurrency, CancellationToken = cancellationToken }, async (row, ct) =>
                {
                    try
                    {
                        var photos = new List<QueryImage>();
                        foreach (var id in EvalRunner.Photos(config, row, views))
                            photos.Add(new QueryImage(await File.ReadAllBytesAsync(Path.Combine(experiment.Dataset.ImagesPath, id), ct)));
                        await pipeline.RunAsync(new PlaceQuery(photos), options, cancellationToken: ct);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                    {
                        // The run records such an image as an error; whatever it planned before failing stays counted.
                        Interlocked.Increment(ref failed);
                    }
                    onProgress?.Invoke(Interlocked.Increment(ref finished), work.Count);
                });
            }
            else
            {
                finished += pending.Count;
            }
            planned.Add(Summarize(config.Name, name, provider, pending.Count, rows.Count - pending.Count, failed, plan.Take()));
        }
        var byProvider = planned.Where(c => c.Samples > 0).GroupBy(c => c.Provider, StringComparer.OrdinalIgnoreCase)
            .Select(g => ProviderTotals(g.Key, providers[g.Key], g.ToList())).ToList();
        return new EvalPlan(experiment.Name, rows.Count, planned, byProvider, PlanTolerance.Statement);
    }

    private static ConfigurationPlan Summarize(string name, string provider, LmmProviderOptions? options, int left, int doneCount, int failed, IReadOnlyList<PlannedRequest> requests)
    {
        int calls = requests.Sum(r => r.Calls), images = requests.Sum(r => r.Images);
        long input = requests.Sum(r => r.InputTokens);
        var output = requests.Aggregate((long?)0, (sum, r) => sum + r.OutputTokenLimit);
        decimal? cost = calls == 0 ? 0m : options?.Price is { } price ? LmmCost.Price(price, new TokenUsage(input, output), images) : null;
        return new ConfigurationPlan(name, provider, left, doneCount, failed, requests.Sum(r => r.Samples), requests.Sum(r => r.CachedSamples), calls, input, output, images, cost);
    }

    private static ProviderPlan ProviderTotals(string name, LmmProviderOptions options, List<ConfigurationPlan> configurations)
    {
        var calls = configurations.Sum(c => c.Calls);
        var input = configurations.Sum(c => c.InputTokens);
        var output = configurations.Aggregate((long?)0, (sum, c) => sum + c.OutputTokenLimit);
        double? minutes = null;
        if (options.RequestsPerMinute is { } rpm)
            minutes = calls * LmmRateLimiter.Spacing(rpm).TotalMinutes;
        if (options.TokensPerMinute is { } tpm)
            minutes = Math.Max(minutes ?? 0, (double)(input + (output ?? 0)) / tpm);
        var estimator = new TokenEstimator(options);
        return new ProviderPlan(name, options.Kind, options.Model, calls, input, output, options.RequestsPerMinute, options.TokensPerMinute, minutes,
            estimator.Encoding, estimator.ImageRule, PlanTolerance.InputShare(options.Kind));
    }
}
