using Microsoft.Extensions.AI;

namespace G3.Diversification.Providers;

/// <summary>What the generator needs to know about a configured LMM provider.</summary>
/// <param name="Name">The configured name (e.g. "gpt4o", "llava"); chosen per request.</param>
/// <param name="Kind">openai | ollama | none.</param>
/// <param name="Model">Model id sent to the provider; part of every response-cache key.</param>
/// <param name="MaxSamplesPerCall">How many choices one call can return (OpenAI's n); 1 = one call per sample.</param>
/// <param name="ImageDetail">Vision detail hint ("low", "high", "auto"); the reference uses "low".</param>
public sealed record LmmProviderInfo(string Name, string Kind, string Model, int MaxSamplesPerCall = 1, string ImageDetail = "low");

/// <summary>A named, fully decorated chat client (resilience, limits, telemetry applied).</summary>
public interface ILmmProvider
{
    LmmProviderInfo Info { get; }

    IChatClient Client { get; }
}

/// <summary>
/// Conventions between the generator and provider clients, carried in
/// <see cref="ChatOptions.AdditionalProperties"/> and <see cref="AIContent.AdditionalProperties"/>.
/// </summary>
public static class ChatConventions
{
    /// <summary>
    /// ChatOptions key (int): how many independent choices to return in one call. A client that honours
    /// it returns one assistant message per choice in <see cref="ChatResponse.Messages"/>.
    /// </summary>
    public const string ChoiceCount = "g3.n";

    /// <summary>DataContent key (string): the vision detail hint for this image ("low", "high", "auto").</summary>
    public const string ImageDetail = "detail";
}
