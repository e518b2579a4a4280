using G3.Core.Options;
using G3.Core.Pipeline;
using G3.Core.Ports;
using G3.Diversification.Generation;
using G3.Diversification.Planning;
using G3.Diversification.Providers;
using G3.Diversification.Prompts;

namespace G3.Evaluation;

/// <summary>
/// What an experiment needs from the service's loaded runtime: its image encoder (shared across
/// configurations through a cache), its default options, and pipelines built with a configuration's
/// provider, selector, prompts and store; and, when it has one, the
/// image model's batch interface, so a run encodes its images in full batches. The g3 executable adapts the service's registered ports to it.
/// </summary>
public interface IExperimentRuntime
{
    IImageEncoder ImageEncoder { get; }

    /// <summary>The same model as <see cref="ImageEncoder"/>, able to take preprocessed batches; null: images
    /// are encoded one request at a time.</summary>
    IImageBatchEncoder? ImageBatchEncoder => null;

    G3Options Defaults { get; }

    /// <summary>The LMM providers as configured (their prices and photo limits, for cost estimates); null: costs are unknown.</summary>
    LmmOptions? Lmm => null;

    /// <summary>The selector <paramref name="name"/> (a name from <see cref="G3.Verification.Selectors.SelectorCatalog"/>) over this runtime's model.</summary>
    IVerifier Selector(string name);

    /// <summary>Answers per level, and the truth's units by the same geocoder; null: the evaluation reports no per-level accuracy.</summary>
    IPlaceLevels? Levels => null;

    /// <summary>A pipeline with <paramref name="provider"/> (null: the default), <paramref name="verifier"/> (null: the model's verifier)
    /// and optionally other prompt templates, image encoder and store; <paramref name="prompts"/> picks prompts and execution settings by name.</summary>
    G3Pipeline CreatePipeline(string? provider, IVerifier? verifier, PromptTemplates? templates, IImageEncoder? imageEncoder = null, IReferenceStore? store = null, GenerationSettings? prompts = null);

    /// <summary>
    /// A pipeline as <see cref="CreatePipeline"/> builds it whose LMM stage asks no provider: it records in <paramref name="plan"/>
    /// the calls the run would still need after the LMM response cache (g3 eval --plan).
    /// </summary>
    G3Pipeline CreatePlanningPipeline(LmmCallPlan plan, string? provider, PromptTemplates? templates, IImageEncoder? imageEncoder = null, IReferenceStore? store = null,
        GenerationSettings? prompts = null) => throw new NotSupportedException("this runtime cannot plan LMM calls");
}
