namespace G3.Diversification.Providers;

/// <summary>What the generator needs to know about a configured LMM provider.</summary>
/// <param name="Name">The configured name (e.g. "gpt4o", "llava"); chosen per request.</param>
/// <param name="Kind">openai | azure-openai | ollama | openai-compatible | none.</param>
/// <param name="Model">Model id sent to the provider; part of every response-cache key.</param>
/// <param name="MaxSamplesPerCall">How many choices one call can return (OpenAI's n); 1 = one call per sample.</param>
/// <param name="PromptSettings">The prompt templates' execution-settings profile this provider samples with ("gpt4v", "llava").</param>
/// <param name="StructuredOutput">off | json | json_schema (<see cref="StructuredOutputModes"/>).</param>
/// <param name="MaxImages">How many photos of a several-photo query one prompt shows (the first ones); the rest are left out of the prompt.</param>
public sealed record LmmProviderInfo(string Name, string Kind, string Model, int MaxSamplesPerCall = 1, string PromptSettings = "default", string StructuredOutput = "off",
    int MaxImages = G3.Core.Ports.PlaceQuery.MaxImages)
{
    /// <summary>The providers that answer, in order, when this one fails or is slow; each builds its own request from its own info.</summary>
    public IReadOnlyList<LmmProviderInfo> Fallbacks { get; init; } = [];

    /// <summary>This provider, then its fallbacks.</summary>
    public IReadOnlyList<LmmProviderInfo> Chain => [this, .. Fallbacks];

    /// <summary>Equal when the provider's own settings are (its fallbacks are other providers, compared on their own).</summary>
    public bool Equals(LmmProviderInfo? other) =>
        other is not null && (Name, Kind, Model, MaxSamplesPerCall, PromptSettings, StructuredOutput, MaxImages) ==
            (other.Name, other.Kind, other.Model, other.MaxSamplesPerCall, other.PromptSettings, other.StructuredOutput, other.MaxImages);

    public override int GetHashCode() => HashCode.Combine(Name, Kind, Model, MaxSamplesPerCall, PromptSettings, StructuredOutput, MaxImages);
}
