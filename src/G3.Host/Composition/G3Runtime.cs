using System.Collections.Concurrent;
using G3.Alignment.Encoders;
using G3.Alignment.Onnx;
using G3.Core.Options;
using G3.Core.Pipeline;
using G3.Core.Ports;
using G3.Diversification.Caching;
using G3.Diversification.Generation;
using G3.Diversification.Prompts;
using G3.Diversification.Providers;
using G3.Evaluation;
using G3.Geography;
using G3.Verification.Scoring;

namespace G3.Host.Composition;

/// <summary>
/// Everything a request needs, loaded once: the model's encoders, the reference store, the verifier,
/// the LMM providers, and one pipeline per provider (built on first use).
/// </summary>
public sealed class G3Runtime : IExperimentRuntime, IDisposable
{
    private readonly ConcurrentDictionary<string, G3Pipeline> _pipelines = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The image encoder behind the service's pipelines: concurrent requests share model runs.</summary>
    private readonly MicroBatchingImageEncoder _requestEncoder;

    public G3Runtime(ImageEncoder imageEncoder, OnnxLocationEncoder locationEncoder, IReferenceStore store, IVerifier verifier,
        LmmProviderRegistry providers, ResponseCache cache, G3Options defaults, ReverseGeocoder? geocoder)
    {
        ImageEncoder = imageEncoder;
        _requestEncoder = new MicroBatchingImageEncoder(imageEncoder);
        LocationEncoder = locationEncoder;
        Store = store;
        Verifier = verifier;
        Providers = providers;
        Cache = cache;
        Defaults = defaults.EnsureValid();
        Geocoder = geocoder;
    }

    public ImageEncoder ImageEncoder { get; }

    IImageEncoder IExperimentRuntime.ImageEncoder => ImageEncoder;
    G3.Core.Ports.IImageBatchEncoder? IExperimentRuntime.ImageBatchEncoder => ImageEncoder;
    public OnnxLocationEncoder LocationEncoder { get; }
    public IReferenceStore Store { get; }
    public IVerifier Verifier { get; }

    /// <summary>G3's plain argmax verifier over the same model, for the "g3-argmax" selector; null when not built.</summary>
    public IVerifier? ArgmaxVerifier { get; init; }
    public LmmProviderRegistry Providers { get; }
    public ResponseCache Cache { get; }
    public G3Options Defaults { get; }

    /// <summary>How long one API request may take in all (Pipeline:RequestTimeoutSeconds); then 504.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The model's out-of-distribution check (manifest "outOfDistribution"); null when the manifest has none.</summary>
    public IFamiliarityCheck? Familiarity { get; init; }

    /// <summary>Answers per level (country, region, city) from the verifier's probabilities; null when the geography data is absent.</summary>
    public IPlaceLevels? Levels { get; init; }

    /// <summary>The model's same-place similarity threshold for several-photo queries (manifest "viewAgreement"); null when it has none.</summary>
    public double? ViewAgreementThreshold { get; init; }

    /// <summary>Offline reverse geocoding for answers; null when the geography data is absent.</summary>
    public ReverseGeocoder? Geocoder { get; }

    public string ModelId => ImageEncoder.Model.Manifest.Id;

    /// <summary>Text queries (the manifest's text tower over the same store and location encoder); null when the model has no text tower.</summary>
    public G3.Core.Pipeline.TextGeolocator? Text { get; init; }

    /// <summary>The text tower's session, owned here; null without one.</summary>
    public G3.Alignment.Text.OnnxTextEncoder? TextEncoder { get; init; }

    /// <summary>The pipeline answering with <paramref name="provider"/> (null: the configured default).</summary>
    public G3Pipeline PipelineFor(string? provider = null)
    {
        var lmm = provider is null ? Providers.Default : Providers.Get(provider);
        return _pipelines.GetOrAdd(lmm.Info.Name, _ =>
        {
            ICandidateGenerator? generator = lmm.Info.Kind == LmmProviderKinds.None
                ? null
                : new LmmCandidateGenerator(Providers.Kernel, lmm.Info, PromptTemplates.Default, Cache);
            return new G3Pipeline(_requestEncoder, Store, Verifier, generator, Familiarity, Levels) { ViewAgreementThreshold = ViewAgreementThreshold };
        });
    }

    /// <summary>
    /// A pipeline for experiments: a provider, a verifier (or a baseline selector in its place), prompt
    /// templates, and optionally another image encoder (e.g. one that remembers embeddings across
    /// configurations); <paramref name="prompts"/> chooses prompts and execution settings by name. Not cached.
    /// </summary>
    public G3Pipeline CreatePipeline(string? provider, IVerifier? verifier, PromptTemplates? templates, IImageEncoder? imageEncoder = null, IReferenceStore? store = null, GenerationSettings? prompts = null)
    {
        var lmm = provider is null ? Providers.Default : Providers.Get(provider);
        ICandidateGenerator? generator = lmm.Info.Kind == LmmProviderKinds.None
            ? null
            : new LmmCandidateGenerator(Providers.Kernel, lmm.Info, templates ?? PromptTemplates.Default, Cache, prompts);
        return new G3Pipeline(imageEncoder ?? ImageEncoder, store ?? Store, verifier ?? Verifier, generator, Familiarity, Levels) { ViewAgreementThreshold = ViewAgreementThreshold };
    }

    public void Dispose()
    {
        _requestEncoder.Dispose();
        ImageEncoder.Dispose();
        LocationEncoder.Dispose();
        TextEncoder?.Dispose();
        (Store as IDisposable)?.Dispose();
        Providers.Dispose();
    }
}
