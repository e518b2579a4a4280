namespace G3.Host.Security;

/// <summary>Section <c>Security</c>: who may call /v1.</summary>
public sealed class SecuritySettings
{
    public const string SectionName = "Security";

    /// <summary>
    /// auto (default): keys are required whenever the service listens beyond loopback; true; false.
    /// </summary>
    public string RequireApiKey { get; set; } = "auto";

    /// <summary>Accepted bearer keys; set them only through environment variables (G3_Security__ApiKeys__0=...).</summary>
    public string[]? ApiKeys { get; set; }

    /// <summary>Whether keys are required given the addresses the service listens on.</summary>
    public bool KeysRequired(string? urls) => RequireApiKey.Trim().ToUpperInvariant() switch
    {
        "TRUE" => true,
        "FALSE" => false,
        _ => ListensBeyondLoopback(urls),
    };

    /// <summary>"http://127.0.0.1:8080;http://localhost:9000" is loopback; "http://0.0.0.0:8080", "http://*:80", a LAN address is not.</summary>
    public static bool ListensBeyondLoopback(string? urls)
    {
        if (string.IsNullOrWhiteSpace(urls)) return false; // Kestrel's default is localhost
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var host = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
            host = host.Split('/')[0];
            host = host.StartsWith('[') ? host[1..host.IndexOf(']', StringComparison.Ordinal)] : host.Split(':')[0];
            if (host is "localhost" || (System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip))) continue;
            return true;
        }
        return false;
    }
}

/// <summary>Section <c>RateLimits</c>: requests per API key (or per client address without keys) on /v1.</summary>
public sealed class RateLimitSettings
{
    public const string SectionName = "RateLimits";

    /// <summary>Sustained requests per minute per key; 0 turns rate limiting off.</summary>
    public int PermitsPerMinute { get; set; } = 120;

    /// <summary>Requests allowed at once above the sustained rate.</summary>
    public int Burst { get; set; } = 20;
}
