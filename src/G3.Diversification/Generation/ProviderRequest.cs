using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using G3.Core.Ports;
using G3.Diversification.Caching;
using G3.Diversification.Prompts;
using G3.Diversification.Providers;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace G3.Diversification.Generation;

/// <summary>
/// One provider's own request for one generation request: its model, its sampling profile, its structured-output mode,
/// the photos it may be shown, its cache keys, and how the N samples are split into calls (<c>n</c> in one call, or N
/// calls). Every provider of a chain builds its own; nothing of the primary's shape reaches a fallback.
/// </summary>
internal sealed class ProviderRequest
{
    private const string ImageVariable = "image";
    private static readonly JsonElement s_answerSchema = JsonDocument.Parse(
        """{"type":"object","properties":{"latitude":{"type":"number"},"longitude":{"type":"number"}},"required":["latitude","longitude"],"additionalProperties":false}""").RootElement.Clone();

    // One data URI per photo, shared by every call of the request (K×N calls for one-sample providers would otherwise
    // each base64-encode the whole photo); weak, so it lives as long as the request's QueryImage.
    private static readonly ConditionalWeakTable<QueryImage, string> s_dataUris = new();

    private readonly PromptExecutionSettings _settings;
    private readonly KernelArguments _arguments;
    private readonly string _keyPrompt;
    private readonly string _imagesKey;
    private readonly Sampling _sampling;
    private readonly IReadOnlyList<QueryImage> _photos;

    private ProviderRequest(Kernel kernel, LmmProviderInfo provider, KernelFunction function, PromptExecutionSettings settings, KernelArguments arguments,
        string keyPrompt, string imagesKey, Sampling sampling, IReadOnlyList<QueryImage> photos)
    {
        _photos = photos;
        Kernel = kernel;
        Provider = provider;
        Function = function;
        _settings = settings;
        _arguments = arguments;
        _keyPrompt = keyPrompt;
        _imagesKey = imagesKey;
        _sampling = sampling;
    }

    /// <summary>The kernel whose only chat service is this provider's pipeline.</summary>
    public Kernel Kernel { get; }

    public LmmProviderInfo Provider { get; }

    public KernelFunction Function { get; }

    /// <param name="kernel">The kernel whose only chat service is <paramref name="provider"/>'s pipeline.</param>
    /// <param name="profile">The experiment's sampling profile; null = the provider's own.</param>
    /// <param name="keyTemplate">The prompt's template, rendered (photos left out) into the cache key and the call's preview; null with the cache off
    /// (and no plan asked for).</param>
    public static async Task<ProviderRequest> BuildAsync(Kernel kernel, LmmProviderInfo provider, PromptTemplates prompts, string promptName, string? profile,
        IPromptTemplate? keyTemplate, GenerationRequest request, CancellationToken cancellationToken)
    {
        var settings = Settings(prompts.Configs[promptName], provider, profile ?? provider.PromptSettings, request.Temperature);
        var arguments = new KernelArguments(settings)
        {
            ["similar"] = ReferenceList.Format(request.Similar, request.PlaceText),
            ["dissimilar"] = request.Dissimilar.Count == 0 ? "(none)" : ReferenceList.Format(request.Dissimilar, request.PlaceText),
            ["count"] = request.Similar.Count.ToString(CultureInfo.InvariantCulture),
        };

        // The photos this provider is shown: every photo of the query, up to its own limit.
        var images = request.Images.Take(Math.Max(1, provider.MaxImages)).ToList();
        var imagesKey = images.Count == 1 ? images[0].Sha256 : new PlaceQuery(images).Sha256;

        // The cache key's prompt is the rendered template with the photos left out (they are keyed by their hashes).
        arguments[ImageVariable] = PromptTemplates.ImageTags(images.Select(_ => "(image)"));
        var keyPrompt = keyTemplate is null ? string.Empty : await keyTemplate.RenderAsync(kernel, arguments, cancellationToken).ConfigureAwait(false);
        arguments[ImageVariable] = PromptTemplates.ImageTags(images.Select(DataUri));
        return new ProviderRequest(kernel, provider, prompts.Function(promptName), settings, arguments, keyPrompt, imagesKey, Sampling.From(settings, profile ?? provider.PromptSettings, provider.StructuredOutput), images);
    }

    /// <summary>The cache key of sample <paramref name="sampleIndex"/> as this provider answers it.</summary>
    public ResponseCacheKey Key(int sampleIndex) =>
        new(Provider.Name, Provider.Model, _keyPrompt, _imagesKey, _sampling.Temperature, _sampling.MaxTokens, _sampling.ImageDetail, sampleIndex,
            _sampling.StructuredOutput, _sampling.Profile);

    /// <summary>The samples of each call: all in one call (up to the provider's <c>n</c>), or one call each.</summary>
    public IEnumerable<int[]> Calls(IReadOnlyList<int> samples) => samples.Chunk(Math.Max(1, Provider.MaxSamplesPerCall));

    /// <summary>The kernel arguments of one call asking for <paramref name="choices"/> samples, routed to this provider.</summary>
    public KernelArguments ArgumentsFor(int choices)
    {
        var perCall = (LmmCallSettings.Of(_settings) with { Choices = choices }).ApplyTo(_settings.Clone());
        return new KernelArguments(_arguments, new Dictionary<string, PromptExecutionSettings> { [Provider.Name] = perCall });
    }

    /// <summary>The prompt's settings for <paramref name="profile"/>, this provider's model and output mode, routed to it.</summary>
    private static PromptExecutionSettings Settings(PromptTemplateConfig config, LmmProviderInfo provider, string profile, double? temperature)
    {
        var source = config.ExecutionSettings.GetValueOrDefault(profile) ?? config.ExecutionSettings[PromptExecutionSettings.DefaultServiceId];
        var settings = source.Clone();
        settings.ServiceId = provider.Name;
        settings.ModelId = provider.Model;
        var extension = settings.ExtensionData = settings.ExtensionData is { } e ? new Dictionary<string, object>(e) : [];
        if (temperature is { } t)
            extension["temperature"] = t;
        switch (provider.StructuredOutput)
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

    private static string DataUri(QueryImage image) => s_dataUris.GetValue(image, static i =>
        $"data:{ImageMediaType.Sniff(i.Bytes.Span, i.MediaType)};base64,{Convert.ToBase64String(i.Bytes.Span)}");

    /// <summary>
    /// The messages one call sends, as a plan sees them before any call: the rendered prompt (from the cache key's render, so
    /// built only when a key template was given) with this provider's photos in its image slots.
    /// </summary>
    public IReadOnlyList<ChatMessage> PreviewMessages() => Planning.RenderedPrompt.ToMessages(_keyPrompt, _photos);

    /// <summary>The options of one call asking for <paramref name="choices"/> samples (completion limit, image detail, choices).</summary>
    public ChatOptions PreviewOptions(int choices) => (LmmCallSettings.Of(_settings) with { Choices = choices }).ApplyTo(_settings.Clone()).ToChatOptions(null);

    /// <summary>The settings that change an answer, as the cache key records them.</summary>
    private sealed record Sampling(double? Temperature, int MaxTokens, string ImageDetail, string Profile, string StructuredOutput)
    {
        public static Sampling From(PromptExecutionSettings settings, string profile, string structuredOutput)
        {
            var options = settings.ToChatOptions(null);
            return new(options.Temperature, options.MaxOutputTokens ?? 0, LmmCallSettings.Of(options).ImageDetail ?? "auto", profile, structuredOutput);
        }
    }
}
