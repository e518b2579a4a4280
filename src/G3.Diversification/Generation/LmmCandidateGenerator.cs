using G3.Core.Candidates;
using G3.Core.Ports;
using G3.Diversification.Caching;
using G3.Diversification.Parsing;
using G3.Diversification.Prompts;
using G3.Diversification.Providers;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Generation;

/// <summary>
/// Geo-diversification over one LMM provider: renders the variant's prompt, replays cached answers,
/// asks the provider for the missing samples (in one call when it supports several choices), parses
/// every answer into a candidate, and stores new answers in the cache.
/// </summary>
public sealed class LmmCandidateGenerator : ICandidateGenerator
{
    private readonly ILmmProvider _provider;
    private readonly PromptRenderer _renderer;
    private readonly ResponseCache _cache;
    private readonly GenerationSettings _settings;

    public LmmCandidateGenerator(ILmmProvider provider, PromptRenderer renderer, ResponseCache cache, GenerationSettings settings)
    {
        settings.EnsureValid();
        _provider = provider;
        _renderer = renderer;
        _cache = cache;
        _settings = settings;
    }

    public int MaxSamplesPerCall => Math.Max(1, _provider.Info.MaxSamplesPerCall);

    public async Task<IReadOnlyList<Candidate>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        var prompt = _renderer.Render(request.Similar, request.Dissimilar, request.PlaceText);
        var temperature = request.Temperature ?? _settings.DefaultTemperature;
        var keys = Enumerable.Range(request.FirstSampleIndex, request.SampleCount)
            .Select(i => new ResponseCacheKey(_provider.Info.Name, _provider.Info.Model, prompt, request.Image.Sha256,
                temperature, _settings.MaxTokens, _provider.Info.ImageDetail, i))
            .ToList();

        var texts = new string?[keys.Count];
        for (var i = 0; i < keys.Count; i++)
            texts[i] = await _cache.TryGetAsync(keys[i], cancellationToken).ConfigureAwait(false);

        var missing = Enumerable.Range(0, keys.Count).Where(i => texts[i] is null).ToList();
        string? failure = null;
        if (missing.Count > 0)
        {
            try
            {
                var answers = await AskAsync(prompt, request.Image, temperature, missing.Count, cancellationToken).ConfigureAwait(false);
                for (var j = 0; j < missing.Count && j < answers.Count; j++)
                {
                    texts[missing[j]] = answers[j];
                    await _cache.SetAsync(keys[missing[j]], answers[j], cancellationToken).ConfigureAwait(false);
                }
                if (answers.Count < missing.Count)
                    failure = $"the provider returned {answers.Count} of {missing.Count} requested answers";
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // Any provider failure becomes failed candidates; cached samples still count.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failure = $"{ex.GetType().Name}: {ex.Message}";
            }
        }

        return keys.Select((key, i) => ToCandidate(request.Variant, key.SampleIndex, texts[i], failure)).ToList();
    }

    private async Task<IReadOnlyList<string>> AskAsync(string prompt, QueryImage image, double? temperature, int choices, CancellationToken cancellationToken)
    {
        var picture = new DataContent(image.Bytes, ImageMediaType.Sniff(image.Bytes.Span, image.MediaType))
        {
            AdditionalProperties = new() { [ChatConventions.ImageDetail] = _provider.Info.ImageDetail },
        };
        var message = new ChatMessage(ChatRole.User, [new TextContent(prompt), picture]);

        if (MaxSamplesPerCall > 1)
            return Texts(await _provider.Client.GetResponseAsync([message], Options(temperature, choices), cancellationToken).ConfigureAwait(false));

        // One choice per call: the samples are independent calls, all in flight together.
        var calls = Enumerable.Range(0, choices)
            .Select(_ => _provider.Client.GetResponseAsync([message], Options(temperature, 1), cancellationToken));
        var responses = await Task.WhenAll(calls).ConfigureAwait(false);
        return responses.SelectMany(r => Texts(r).Take(1)).ToList();
    }

    private ChatOptions Options(double? temperature, int choices) => new()
    {
        ModelId = _provider.Info.Model,
        Temperature = temperature is { } t ? (float)t : null,
        MaxOutputTokens = _settings.MaxTokens,
        AdditionalProperties = new() { [ChatConventions.ChoiceCount] = choices },
    };

    private static List<string> Texts(ChatResponse response) =>
        response.Messages.Where(m => m.Role == ChatRole.Assistant).Select(m => m.Text).ToList();

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
