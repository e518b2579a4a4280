using G3.Alignment.Encoders;
using G3.Alignment.Models;
using G3.Core.Options;
using G3.Core.Pipeline;
using G3.Core.Ports;
using G3.Diversification.Generation;
using G3.Diversification.Planning;
using G3.Diversification.Providers;
using G3.Diversification.Prompts;
using G3.Evaluation;
using G3.Host.Composition;
using G3.Verification.Selectors;

namespace G3.Cli;

/// <summary>What experiments need (<see cref="IExperimentRuntime"/>), adapted from the service's registered ports.</summary>
internal sealed class ExperimentRuntime(IServiceProvider services) : IExperimentRuntime
{
    private readonly ImageEncoder _model = services.GetRequiredService<ImageEncoder>();
    private readonly G3Pipelines _pipelines = services.GetRequiredService<G3Pipelines>();

    // The model itself, not the request micro-batcher: a run sends its own full batches.
    public IImageEncoder ImageEncoder => _model;

    public IImageBatchEncoder? ImageBatchEncoder => _model;

    public G3Options Defaults => services.GetRequiredService<RequestDefaults>().Options;

    public LmmOptions? Lmm => G3Settings.Value<LmmOptions>(services);

    public IPlaceLevels? Levels => services.GetService<IPlaceLevels>();

    public IVerifier Selector(string name) =>
        SelectorCatalog.Create(name, services.GetRequiredService<ILocationEncoder>(), ManifestOptions.Verifier(services.GetRequiredService<ModelManifest>()));

    public G3Pipeline CreatePipeline(string? provider, IVerifier? verifier, PromptTemplates? templates, IImageEncoder? imageEncoder = null,
        IReferenceStore? store = null, GenerationSettings? prompts = null) =>
        _pipelines.Create(provider, verifier, templates, imageEncoder ?? _model, store, prompts);

    public G3Pipeline CreatePlanningPipeline(LmmCallPlan plan, string? provider, PromptTemplates? templates, IImageEncoder? imageEncoder = null,
        IReferenceStore? store = null, GenerationSettings? prompts = null) =>
        _pipelines.CreatePlanning(plan, provider, templates, imageEncoder ?? _model, store, prompts);
}
