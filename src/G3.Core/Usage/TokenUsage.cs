namespace G3.Core.Usage;

/// <summary>
/// Tokens as a provider reported them. A count the provider did not report is null (unknown), never 0: a sum with an
/// unknown part is unknown, so a cost tracker is never told a call was free when it was not measured.
/// </summary>
public sealed record TokenUsage(long? InputTokens, long? OutputTokens)
{
    /// <summary>What an answer replayed from the cache costs.</summary>
    public static TokenUsage Zero { get; } = new(0, 0);

    /// <summary>A call whose provider reported nothing.</summary>
    public static TokenUsage Unknown { get; } = new(null, null);

    /// <summary>Input plus output; null when either is unknown.</summary>
    public long? TotalTokens => InputTokens + OutputTokens;

    public static TokenUsage operator +(TokenUsage a, TokenUsage b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new(a.InputTokens + b.InputTokens, a.OutputTokens + b.OutputTokens);
    }

    public static TokenUsage Add(TokenUsage a, TokenUsage b) => a + b;

    public static TokenUsage Sum(IEnumerable<TokenUsage> usages) => usages.Aggregate(Zero, (sum, u) => sum + u);
}
