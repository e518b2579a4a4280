namespace G3.Host.Composition;

/// <summary>Section <c>RateLimits</c>: requests per API key (or per client address without keys) on /v1.</summary>
public sealed class RateLimitSettings
{
    public const string SectionName = "RateLimits";

    /// <summary>Sustained requests per minute per key; 0 turns rate limiting off.</summary>
    public int PermitsPerMinute { get; set; } = 120;

    /// <summary>Requests allowed at once above the sustained rate.</summary>
    public int Burst { get; set; } = 20;

    /// <summary>
    /// Wrong API keys a client address may present per minute; past it every attempt from that address
    /// gets 429 until the budget refills, so keys cannot be guessed at speed. Always on when keys are required.
    /// </summary>
    public int FailedKeyAttemptsPerMinute { get; set; } = 10;
}
