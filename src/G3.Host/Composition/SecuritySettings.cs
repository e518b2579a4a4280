namespace G3.Host.Composition;

/// <summary>Section <c>Security</c>: who may call /v1, and from which web pages.</summary>
public sealed class SecuritySettings
{
    public const string SectionName = "Security";

    /// <summary>
    /// auto (default): keys are required whenever the service listens beyond loopback; true; false.
    /// Security/KeyRequirement.cs decides it from the listen addresses.
    /// </summary>
    public string RequireApiKey { get; set; } = "auto";

    /// <summary>Accepted bearer keys; set them only through environment variables (G3_Security__ApiKeys__0=...).</summary>
    public string[]? ApiKeys { get; set; }

    /// <summary>
    /// Web origins (scheme://host[:port]) whose pages may call /v1 from a browser. Empty (the default):
    /// no cross-origin browser request is served, so a page the user visits cannot spend their LMM credits.
    /// </summary>
    public string[]? CorsOrigins { get; set; }
}
