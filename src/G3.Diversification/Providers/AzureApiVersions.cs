using Azure.AI.OpenAI;

namespace G3.Diversification.Providers;

/// <summary>Azure OpenAI REST API versions as configured ("2024-10-21", "2025-04-01-preview") ↔ the SDK's enum.</summary>
internal static class AzureApiVersions
{
    public static IReadOnlyList<string> Known { get; } =
        [.. Enum.GetValues<AzureOpenAIClientOptions.ServiceVersion>().Select(ToText)];

    public static AzureOpenAIClientOptions.ServiceVersion? Parse(string text)
    {
        foreach (var version in Enum.GetValues<AzureOpenAIClientOptions.ServiceVersion>())
            if (string.Equals(ToText(version), text.Trim(), StringComparison.OrdinalIgnoreCase))
                return version;
        return null;
    }

    // V2024_10_21 → "2024-10-21"; V2025_04_01_Preview → "2025-04-01-preview".
    private static string ToText(AzureOpenAIClientOptions.ServiceVersion version) =>
        version.ToString().TrimStart('V').Replace('_', '-').ToLowerInvariant();
}
