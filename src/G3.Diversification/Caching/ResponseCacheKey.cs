using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace G3.Diversification.Caching;

/// <summary>
/// Everything that determines an LMM answer: who answered, what was asked, about which image, how it
/// was sampled, and which of the N samples it is. Two requests with equal keys may share one answer.
/// </summary>
public sealed record ResponseCacheKey(
    string Provider,
    string Model,
    string Prompt,
    string ImageSha256,
    double? Temperature,
    int MaxTokens,
    string ImageDetail,
    int SampleIndex)
{
    /// <summary>Content address: SHA-256 (hex) of the key's canonical JSON.</summary>
    public string Hash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this, CacheJson.Options))));
}

internal static class CacheJson
{
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = false };
}
