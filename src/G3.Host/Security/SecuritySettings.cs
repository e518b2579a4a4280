namespace G3.Host.Security;

/// <summary>Section <c>Security</c>: who may call /v1, and from which web pages.</summary>
public sealed class SecuritySettings
{
    public const string SectionName = "Security";

    /// <summary>
    /// auto (default): keys are required whenever the service listens beyond loopback; true; false.
    /// </summary>
    public string RequireApiKey { get; set; } = "auto";

    /// <summary>Accepted bearer keys; set them only through environment variables (G3_Security__ApiKeys__0=...).</summary>
    public string[]? ApiKeys { get; set; }

    /// <summary>
    /// Web origins (scheme://host[:port]) whose pages may call /v1 from a browser. Empty (the default):
    /// no cross-origin browser request is served, so a page the user visits cannot spend their LMM credits.
    /// </summary>
    public string[]? CorsOrigins { get; set; }

    /// <summary>Whether keys are required given the addresses the service listens on.</summary>
    public bool KeysRequired(string? urls) => KeysRequired(ListenAddresses.Split(urls));

    /// <summary>Whether keys are required given every address the service listens (or will listen) on.</summary>
    public bool KeysRequired(IEnumerable<string> addresses) => RequireApiKey.Trim().ToUpperInvariant() switch
    {
        "TRUE" => true,
        "FALSE" => false,
        "AUTO" => ListenAddresses.AnyBeyondLoopback(addresses),
        _ => throw new InvalidOperationException($"Security:RequireApiKey must be auto, true or false (got '{RequireApiKey}')"),
    };

    /// <summary>"http://127.0.0.1:8080;http://localhost:9000" is loopback; "http://0.0.0.0:8080", "http://*:80", a LAN address is not.</summary>
    public static bool ListensBeyondLoopback(string? urls) => ListenAddresses.AnyBeyondLoopback(ListenAddresses.Split(urls));
}

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
