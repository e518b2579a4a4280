using System.Collections.Concurrent;
using G3.Alignment.Models;
using G3.Core.Pipeline;
using G3.Core.Ports;
using G3.Diversification.Caching;
using G3.Diversification.Generation;
using G3.Diversification.Planning;
using G3.Diversification.Prompts;
using G3.Diversification.Providers;

namespace G3.Host.Composition;

/// <summary>
/// The G3 pipelines over the registered ports, one per LMM provider (built on first use and kept), and, for
/// experiments, pipelines with another selector, prompts, image encoder or store.
/// </summary>
public sealed class G3Pipelines(
    IImageEncoder imageEncoder, IReferenceStore store, IVerifier verifier, LmmProviderRegistry providers, ResponseCache cache,
    ModelManifest manifest, IOutOfDistributionCheck? outOfDistribution = null, IPlaceLevels? levels = null)
{
    private readonly ConcurrentDictionary<string, G3Pipeline> _byProvider = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The configured LMM providers.</summary>
    public LmmProviderRegistry Providers => providers;

    /// <summary>The LMM response cache the pipelines' candidate generators share.</summary>
    public ResponseCache Cache => cache;

    /// <summary>The provider named <paramref name="name"/> (null: the configured default).</summary>
    public ILmmProvider Provider(string? name) => name is null ? providers.Default : providers.Get(name);

    /// <summary>The pipeline answering with <paramref name="provider"/> (null: the configured default).</summary>
    public G3Pipeline For(string? provider = null)
    {
        var lmm = Provider(provider);
        return _byProvider.GetOrAdd(lmm.Info.Name, _ => Create(lmm));
    }

    /// <summary>
    /// A new pipeline (not kept): a provider, a selector in the verifier's place, prompt templates, another image encoder
    /// or store; <paramref name="prompts"/> chooses prompts and execution settings by name. Null keeps the registered one.
    /// </summary>
    public G3Pipeline Create(string? provider, IVerifier? selector = null, PromptTemplates? templates = null, IImageEncoder? encoder = null,
        IReferenceStore? referenceStore = null, GenerationSettings? prompts = null) =>
        Create(Provider(provider), selector, templates, encoder, referenceStore, prompts);

    /// <summary>
    /// A pipeline like <see cref="Create(string?, IVerifier?, PromptTemplates?, IImageEncoder?, IReferenceStore?, GenerationSettings?)"/>
    /// whose generator asks no provider: it records in <paramref name="plan"/> the LMM calls the same requests would still need
    /// after this cache (same keys, same lookups).
    /// </summary>
    public G3Pipeline CreatePlanning(LmmCallPlan plan, string? provider, PromptTemplates? templates = null, IImageEncoder? encoder = null,
        IReferenceStore? referenceStore = null, GenerationSettings? prompts = null) =>
        Create(Provider(provider), null, templates, encoder, referenceStore, prompts, plan ?? throw new ArgumentNullException(nameof(plan)));

    // The provider is resolved by name once, by the caller; its pipeline's generator takes it from here.
    private G3Pipeline Create(ILmmProvider lmm, IVerifier? selector = null, PromptTemplates? templates = null, IImageEncoder? encoder = null,
        IReferenceStore? referenceStore = null, GenerationSettings? prompts = null, LmmCallPlan? plan = null)
    {
        ICandidateGenerator? generator = lmm.Info.Kind == LmmProviderKinds.None
            ? null
            : new LmmCandidateGenerator(providers.Kernel, lmm.Info, templates ?? PromptTemplates.Default, cache, prompts, plan);
        return new G3Pipeline(encoder ?? imageEncoder, referenceStore ?? store, selector ?? verifier, generator, outOfDistribution, levels)
        {
            ViewAgreementThreshold = manifest.ViewAgreement?.Threshold,
        };
    }
}
