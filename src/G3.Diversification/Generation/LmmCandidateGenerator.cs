using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using G3.Core.Candidates;
using G3.Core.Ports;
using G3.Diversification.Caching;
using G3.Diversification.Parsing;
using G3.Diversification.Prompts;
using G3.Diversification.Providers;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace G3.Diversification.Generation;

/// <summary>
/// Geo-diversification through Semantic Kernel: picks the variant's prompt function (zero-shot or RAG), replays cached
/// answers, invokes the function in the kernel with the provider's execution settings (service id = provider name, so
/// the kernel routes the call to that provider's chat client) for the missing samples (in one call when the provider
/// takes <c>n</c>), parses every answer into a candidate, and caches new answers under the provider and model that
/// actually answered.
/// </summary>
public sealed class LmmCandidateGenerator : ICandidateGenerator
{
    private const string ImageVariable = "image";
    private static readonly JsonElement s_answerSchema = JsonDocument.Parse(
        """{"type":"object","properties":{"latitude":{"type":"number"},"longitude":{"type":"number"}},"required":["latitude","longitude"],"additionalProperties":false}""").RootElement.Clone();

    private readonly Microsoft.SemanticKernel.Kernel _kernel;
    private readonly LmmProviderInfo _provider;
    private readonly PromptTemplates _prompts;
    private readonly ResponseCache _cache;
    private readonly GenerationSettings _settings;
    // The cache key's prompt templates, parsed once per prompt (not once per call: one-call-per-sample providers make
    // K×N calls per request, and every one used to re-parse its template here).
    private readonly Dictionary<string, IPromptTemplate> _keyTemplates;

    /// <param name="kernel">A kernel holding <paramref name="provider"/>'s chat client as a keyed service (see LmmProviderRegistry.Kernel).</param>
    public LmmCandidateGenerator(Microsoft.SemanticKernel.Kernel kernel, LmmProviderInfo provider, PromptTemplates prompts, ResponseCache cache, GenerationSettings? settings = null)
    {
        _settings = settings ?? new GenerationSettings();
        _settings.EnsureValid(prompts);
        _kernel = kernel;
        _provider = provider;
        _prompts = prompts;
        _cache = cache;
        var factory = new KernelPromptTemplateFactory();
        _keyTemplates = prompts.Configs.ToDictionary(kv => kv.Key, kv => factory.Create(kv.Value), StringComparer.Ordinal);
    }

    public int MaxSamplesPerCall => Math.Max(1, _provider.MaxSamplesPerCall);

    public async Task<IReadOnlyList<Candidate>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        var promptName = request.Similar.Count == 0 ? _settings.ZeroShotPrompt : _settings.RagPrompt;
        var config = _prompts.Configs[promptName];
        var settings = ExecutionSettings(config, request.Temperature);
        var arguments = Arguments(request, settings);

        // The photos the provider is shown: every photo of the query, up to the provider's limit.
        var images = request.Images.Take(Math.Max(1, _provider.MaxImages)).ToList();
        var imagesKey = images.Count == 1 ? images[0].Sha256 : new PlaceQuery(images).Sha256;

        // The cache key's prompt is the rendered template with the images left out (they are keyed by their hashes). With
        // the cache off no key is ever looked up or stored, so the render is skipped: it is synchronous work that each of
        // the K×N one-sample calls would otherwise do before its request can start.
        arguments[ImageVariable] = PromptTemplates.ImageTags(images.Select(_ => "(image)"));
        var prompt = _cache.Mode == CacheMode.Off
            ? string.Empty
            : await _keyTemplates[promptName].RenderAsync(_kernel, arguments, cancellationToken).ConfigureAwait(false);
        var sampling = Sampling.From(settings);
        var keys = Enumerable.Range(request.FirstSampleIndex, request.SampleCount)
            .Select(i => Key(_provider.Name, _provider.Model, prompt, imagesKey, sampling, i))
            .ToList();

        var texts = new string?[keys.Count];
        for (var i = 0; i < keys.Count; i++)
            texts[i] = await _cache.TryGetAsync(keys[i], cancellationToken).ConfigureAwait(false);

        var missing = Enumerable.Range(0, keys.Count).Where(i => texts[i] is null).ToList();
        string? failure = null;
        if (missing.Count > 0)
        {
            arguments[ImageVariable] = PromptTemplates.ImageTags(images.Select(DataUri));
            var missingKeys = missing.Select(i => keys[i]).ToList();
            Task<Fetched> Fetch(CancellationToken ct) => FetchAsync(promptName, arguments, settings, missingKeys, prompt, imagesKey, sampling, ct);
            // With the cache off the keys carry no prompt, so they cannot tell requests apart: no sharing then.
            var fetched = _cache.Mode == CacheMode.Off
                ? await Fetch(cancellationToken).ConfigureAwait(false)
                : await _cache.InFlight.RunAsync(string.Join('|', missingKeys.Select(k => k.Hash())), Fetch, cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < missing.Count; j++) texts[missing[j]] = fetched.Texts[j];
            failure = fetched.Failure;
        }

        return keys.Select((key, i) => ToCandidate(request.Variant, key.SampleIndex, texts[i], failure)).ToList();
    }

    /// <summary>The answers for <paramref name="missing"/> (same order; null where none came) and, if any are missing, why.</summary>
    private sealed record Fetched(string?[] Texts, string? Failure);

    /// <summary>Asks the provider for the samples not in the cache and stores what comes back.</summary>
    private async Task<Fetched> FetchAsync(string promptName, KernelArguments arguments, PromptExecutionSettings settings, List<ResponseCacheKey> missing,
        string prompt, string imagesKey, Sampling sampling, CancellationToken cancellationToken)
    {
        var texts = new string?[missing.Count];
        var next = 0;
        try
        {
            foreach (var response in await AskAsync(_prompts.Function(promptName), arguments, settings, missing.Count, cancellationToken).ConfigureAwait(false))
            {
                // Who answered: the primary, or a fallback of its chain. Their answers are cached under their own name and model.
                var provider = response.AdditionalProperties?.GetValueOrDefault(LmmResponseProperties.Provider) as string ?? _provider.Name;
                var model = response.AdditionalProperties?.GetValueOrDefault(LmmResponseProperties.Model) as string ?? _provider.Model;
                foreach (var text in response.Messages.Where(m => m.Role == ChatRole.Assistant).Select(m => m.Text))
                {
                    if (next == missing.Count)
                        break;
                    texts[next] = text;
                    await _cache.SetAsync(Key(provider, model, prompt, imagesKey, sampling, missing[next].SampleIndex), text, cancellationToken).ConfigureAwait(false);
                    next++;
                }
            }
            return new Fetched(texts, next < missing.Count ? $"the provider returned {next} of {missing.Count} requested answers" : null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any provider failure becomes failed candidates; cached samples still count.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new Fetched(texts, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>One kernel invocation with n choices, or (providers without n) one per sample, all in flight together.</summary>
    private async Task<IReadOnlyList<ChatResponse>> AskAsync(KernelFunction function, KernelArguments arguments, PromptExecutionSettings settings, int choices, CancellationToken cancellationToken)
    {
        var calls = MaxSamplesPerCall > 1 ? [choices] : Enumerable.Repeat(1, choices).ToArray();
        var invocations = calls.Select(async n =>
        {
            var perCall = settings.Clone();
            perCall.ExtensionData![ChatConventions.ChoiceCount] = n;
            var result = await _kernel.InvokeAsync(function, new KernelArguments(arguments, new Dictionary<string, PromptExecutionSettings> { [_provider.Name] = perCall }), cancellationToken).ConfigureAwait(false);
            return result.GetValue<ChatResponse>() ?? throw new LmmProviderException(_provider.Name, "the prompt function returned no chat response", null, isTransient: false);
        });
        return await Task.WhenAll(invocations).ConfigureAwait(false);
    }

    /// <summary>The prompt's settings for this provider's profile (or the experiment's), routed to the provider.</summary>
    private PromptExecutionSettings ExecutionSettings(PromptTemplateConfig config, double? temperature)
    {
        var profile = _settings.PromptSettings ?? _provider.PromptSettings;
        var source = config.ExecutionSettings.GetValueOrDefault(profile) ?? config.ExecutionSettings[PromptExecutionSettings.DefaultServiceId];
        var settings = source.Clone();
        settings.ServiceId = _provider.Name;
        settings.ModelId = _provider.Model;
        var extension = settings.ExtensionData = settings.ExtensionData is { } e ? new Dictionary<string, object>(e) : [];
        if (temperature is { } t)
            extension["temperature"] = t;
        switch (_provider.StructuredOutput)
        {
            case StructuredOutputModes.Json:
                extension["response_format"] = "json_object";
                break;
            case StructuredOutputModes.JsonSchema:
                extension["response_format"] = s_answerSchema;
                break;
        }
        return settings;
    }

    private static KernelArguments Arguments(GenerationRequest request, PromptExecutionSettings settings) => new(settings)
    {
        ["similar"] = ReferenceList.Format(request.Similar, request.PlaceText),
        ["dissimilar"] = request.Dissimilar.Count == 0 ? "(none)" : ReferenceList.Format(request.Dissimilar, request.PlaceText),
        ["count"] = request.Similar.Count.ToString(CultureInfo.InvariantCulture),
    };

    // One data URI per photo, shared by every call of the request (K×N calls for one-sample providers would otherwise
    // each base64-encode the whole photo); weak, so it lives as long as the request's QueryImage.
    private static readonly ConditionalWeakTable<QueryImage, string> s_dataUris = new();

    private static string DataUri(QueryImage image) => s_dataUris.GetValue(image, static i =>
        $"data:{ImageMediaType.Sniff(i.Bytes.Span, i.MediaType)};base64,{Convert.ToBase64String(i.Bytes.Span)}");

    /// <param name="imagesSha256">The photos shown: one photo's hash, or <see cref="PlaceQuery.Sha256"/> of several (so one-photo keys are unchanged).</param>
    private static ResponseCacheKey Key(string provider, string model, string prompt, string imagesSha256, Sampling sampling, int sampleIndex) =>
        new(provider, model, prompt, imagesSha256, sampling.Temperature, sampling.MaxTokens, sampling.ImageDetail, sampleIndex);

    private static Candidate ToCandidate(PromptVariant variant, int sampleIndex, string? text, string? failure)
    {
        if (text is null)
            return Candidate.LmmFailure(variant, sampleIndex, ParseOutcome.ProviderError, null, failure ?? "no answer");
        var parsed = CoordinateParser.Parse(text);
        return parsed.Point is { } point
            ? Candidate.FromLmm(variant, sampleIndex, point, text)
            : Candidate.LmmFailure(variant, sampleIndex, parsed.Outcome, text, parsed.Error ?? "unparsable");
    }

    /// <summary>The settings that change an answer, as the cache key records them.</summary>
    private sealed record Sampling(double? Temperature, int MaxTokens, string ImageDetail)
    {
        public static Sampling From(PromptExecutionSettings settings)
        {
            var options = settings.ToChatOptions(null);
            var detail = options.AdditionalProperties?.GetValueOrDefault(ChatConventions.DefaultImageDetail)?.ToString() ?? "auto";
            return new(options.Temperature, options.MaxOutputTokens ?? 0, detail);
        }
    }
}
