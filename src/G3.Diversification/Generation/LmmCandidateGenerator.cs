using G3.Core.Candidates;
using G3.Core.Ports;
using G3.Core.Usage;
using G3.Diversification.Caching;
using G3.Diversification.Orchestration;
using G3.Diversification.Parsing;
using G3.Diversification.Planning;
using G3.Diversification.Prompts;
using G3.Diversification.Providers;
using G3.Diversification.Resilience;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace G3.Diversification.Generation;

/// <summary>
/// Geo-diversification through Semantic Kernel. For one prompt variant and its N samples it picks the prompt function
/// (zero-shot or RAG), has every provider of the chain (the provider, then its fallbacks) build its own request
/// (<see cref="ProviderRequest"/>), replays cached answers, runs the chain for the missing samples inside the request's
/// time budget (<see cref="ProviderChain"/>), parses every answer into a candidate, and caches new answers under the
/// provider that gave them.
/// <para>
/// N is decided here and only here: the pipeline hands a variant's N samples over in one request
/// (<see cref="MaxSamplesPerCall"/>), and each provider's request splits them into its own calls.
/// </para>
/// <para>
/// Cache reads: the primary's answers first. While the primary's circuit is open (an outage), answers its fallbacks
/// gave earlier are replayed too, in chain order, before anyone is asked.
/// </para>
/// <para>
/// What it cost goes to the request's call log (<see cref="GenerationRequest.Calls"/>): every provider call with the
/// tokens it reported (<see cref="ProviderChain"/>), and the answers that cost no call (replayed from the cache, or
/// shared with an identical request in flight) apart, at zero tokens.
/// </para>
/// </summary>
public sealed class LmmCandidateGenerator : ICandidateGenerator
{
    private readonly LmmProviderInfo _provider;
    // One kernel per chain member (chain order), holding that member's pipeline as resolved at construction.
    private readonly List<Kernel> _members;
    private readonly PromptTemplates _prompts;
    private readonly ResponseCache _cache;
    private readonly GenerationSettings _settings;
    private readonly LmmChainContext _context;
    private readonly ProviderChain _chain;
    // The cache key's prompt templates, parsed once per prompt (one-call-per-sample providers make K×N calls per request).
    private readonly Dictionary<string, IPromptTemplate> _keyTemplates;
    private readonly LmmCallPlan? _plan;

    /// <param name="kernel">
    /// A kernel holding the chat client of <paramref name="provider"/> and of each of its fallbacks as keyed services
    /// (see LmmProviderRegistry.Kernel). Each is looked up by name here, once: every call goes to the client found now.
    /// </param>
    /// <param name="plan">
    /// Plan mode: no provider is asked. Each request looks its samples up in the cache as a run would, records the calls still
    /// needed in <paramref name="plan"/>, and returns the cached answers, the other samples as failures ("planned, not asked").
    /// </param>
    public LmmCandidateGenerator(Kernel kernel, LmmProviderInfo provider, PromptTemplates prompts, ResponseCache cache, GenerationSettings? settings = null,
        LmmCallPlan? plan = null)
    {
        _plan = plan;
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(provider);
        _settings = settings ?? new GenerationSettings();
        _settings.EnsureValid(prompts);
        _members = [.. provider.Chain.Select(member => LmmKernel.ForProvider(kernel, member.Name,
            kernel.Services.GetKeyedService<IChatClient>(member.Name)
                ?? throw new ArgumentException($"the kernel has no chat client for LMM provider '{member.Name}'.", nameof(kernel))))];
        _provider = provider;
        _prompts = prompts;
        _cache = cache;
        _context = kernel.Services.GetService<LmmChainContext>() ?? LmmChainContext.Default;
        _chain = new ProviderChain(cache, _context);
        var factory = new KernelPromptTemplateFactory();
        _keyTemplates = prompts.Configs.ToDictionary(kv => kv.Key, kv => factory.Create(kv.Value), StringComparer.Ordinal);
    }

    /// <summary>All N samples of a variant in one request: how they become calls is each provider's business.</summary>
    public int MaxSamplesPerCall => LmmProviderOptions.MaxChoicesPerCall;

    public async Task<IReadOnlyList<Candidate>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var promptName = request.Similar.Count == 0 ? _settings.ZeroShotPrompt : _settings.RagPrompt;
        // With the cache off no key is looked up or stored, so the key's render is skipped (a plan still needs the prompt's text).
        var keyTemplate = _cache.Mode == CacheMode.Off && _plan is null ? null : _keyTemplates[promptName];
        var chain = new List<ProviderRequest>();
        foreach (var (member, kernel) in _provider.Chain.Zip(_members))
            chain.Add(await ProviderRequest.BuildAsync(kernel, member, _prompts, promptName, _settings.PromptSettings, keyTemplate, request, cancellationToken).ConfigureAwait(false));

        var samples = Enumerable.Range(request.FirstSampleIndex, request.SampleCount).ToList();
        var texts = new Dictionary<int, string>();
        await ReplayAsync(chain[0], samples, texts, request.Calls, cancellationToken).ConfigureAwait(false);
        if (_context.IsOutage(_provider.Name))
            foreach (var fallback in chain.Skip(1))
                await ReplayAsync(fallback, samples, texts, request.Calls, cancellationToken).ConfigureAwait(false);

        var missing = samples.Where(i => !texts.ContainsKey(i)).ToList();
        if (_plan is not null)
        {
            _plan.Record(chain[0], samples, missing, sharesAnswers: _cache.Mode == CacheMode.ReadWrite);
            return samples.Select(i => ToCandidate(request.Variant, i, texts.GetValueOrDefault(i), "planned, not asked")).ToList();
        }
        ProviderAnswers? fetched = null;
        if (missing.Count > 0)
        {
            var budget = request.Budget ?? _context.Budget.Stage;
            var asked = false;
            Task<ProviderAnswers> Fetch(CancellationToken ct)
            {
                asked = true;
                return _cache.Lease is { } lease && _cache.Mode == CacheMode.ReadWrite
                    ? FetchUnderLeaseAsync(lease, chain, missing, budget, request.Calls, ct)
                    : _chain.RunAsync(chain, missing, budget, request.Calls, ct);
            }
            // With the cache off the keys carry no prompt, so they cannot tell requests apart: no sharing then.
            fetched = _cache.Mode == CacheMode.Off
                ? await Fetch(cancellationToken).ConfigureAwait(false)
                : await _cache.InFlight.RunAsync(string.Join('|', missing.Select(i => chain[0].Key(i).Hash())), Fetch, cancellationToken).ConfigureAwait(false);
            foreach (var (i, text) in fetched.Texts)
                texts[i] = text;
            // Answers shared with an identical request in flight: that request's calls paid for them, not this one's.
            if (!asked && fetched.Texts.Count > 0)
                request.Calls?.Record(LmmCall.Cached(fetched.Request.Provider.Name, fetched.Request.Provider.Model, fetched.Texts.Count));
        }

        return samples.Select(i => ToCandidate(request.Variant, i, texts.GetValueOrDefault(i), fetched?.FailureOf(i))).ToList();
    }

    /// <summary>
    /// The missing samples, asked under the replicas' lease for them. With the lease held, the shared cache is read again
    /// first: another replica that held it a moment ago has stored its answers, and only what it did not store is asked.
    /// </summary>
    private async Task<ProviderAnswers> FetchUnderLeaseAsync(IAnswerLease lease, List<ProviderRequest> chain, List<int> missing, TimeSpan budget,
        LmmCallLog? log, CancellationToken cancellationToken)
    {
        await using var held = await lease.AcquireAsync("g3:lmm-lease:" + string.Join('|', missing.Select(i => chain[0].Key(i).Hash())), cancellationToken).ConfigureAwait(false);
        var replayed = new Dictionary<int, string>();
        await ReplayAsync(chain[0], missing, replayed, log, cancellationToken).ConfigureAwait(false);
        var still = missing.Where(i => !replayed.ContainsKey(i)).ToList();
        var answers = still.Count == 0 ? new ProviderAnswers(chain[0]) : await _chain.RunAsync(chain, still, budget, log, cancellationToken).ConfigureAwait(false);
        foreach (var (i, text) in replayed) answers.Add(i, text);
        return answers;
    }

    private async Task ReplayAsync(ProviderRequest request, List<int> samples, Dictionary<int, string> texts, LmmCallLog? log, CancellationToken cancellationToken)
    {
        var replayed = 0;
        foreach (var i in samples.Where(i => !texts.ContainsKey(i)))
            if (await _cache.TryGetAsync(request.Key(i), cancellationToken).ConfigureAwait(false) is { } text)
            {
                texts[i] = text;
                replayed++;
            }
        if (replayed > 0)
            log?.Record(LmmCall.Cached(request.Provider.Name, request.Provider.Model, replayed));
    }

    private static Candidate ToCandidate(PromptVariant variant, int sampleIndex, string? text, string? failure)
    {
        if (text is null)
            return Candidate.LmmFailure(variant, sampleIndex, ParseOutcome.ProviderError, null, failure ?? "no answer");
        var parsed = CoordinateParser.Parse(text);
        return parsed.Point is { } point
            ? Candidate.FromLmm(variant, sampleIndex, point, text)
            : Candidate.LmmFailure(variant, sampleIndex, parsed.Outcome, text, parsed.Error ?? "unparsable");
    }
}
