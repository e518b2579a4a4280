using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace G3.Diversification.Caching;

/// <summary>
/// Everything that determines an LMM answer: who answered (provider, model), what was asked (the rendered prompt), about
/// which photos (their hashes), how it was sampled (the prompt-settings profile and the values it resolved to), in which
/// output mode (structured output off / json / json_schema), and which of the N samples it is. Two requests with equal
/// keys may share one answer.
/// </summary>
public sealed record ResponseCacheKey(
    string Provider,
    string Model,
    string Prompt,
    string ImageSha256,
    double? Temperature,
    int MaxTokens,
    string ImageDetail,
    int SampleIndex,
    string StructuredOutput = "off",
    string SamplingProfile = "default")
{
    /// <summary>Content address: SHA-256 (hex) of the key's canonical JSON.</summary>
    public string Hash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this, CacheJson.Options))));
}

internal static class CacheJson
{
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = false };
}
