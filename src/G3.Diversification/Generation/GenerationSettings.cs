namespace G3.Diversification.Generation;

/// <summary>Sampling settings shared by every prompt of a provider.</summary>
/// <param name="MaxTokens">Answer length cap; the reference implementation uses 200.</param>
/// <param name="DefaultTemperature">Used when a request sets none (reference: 1.2 for GPT-4V, 0.7 for LLaVA).</param>
public sealed record GenerationSettings(int MaxTokens = 200, double? DefaultTemperature = null)
{
    public void EnsureValid()
    {
        if (MaxTokens is < 1 or > 4096)
            throw new ArgumentOutOfRangeException(nameof(MaxTokens), MaxTokens, "MaxTokens must be between 1 and 4096");
        if (DefaultTemperature is { } t && (!double.IsFinite(t) || t < 0 || t > 2))
            throw new ArgumentOutOfRangeException(nameof(DefaultTemperature), t, "DefaultTemperature must be between 0 and 2");
    }
}
