using System.Net;

namespace G3.Host.Security;

/// <summary>
/// Which addresses the service listens on, from every place Kestrel takes them: <c>urls</c>,
/// <c>http_ports</c>/<c>https_ports</c> (which bind all interfaces), and <c>Kestrel:Endpoints:*:Url</c>.
/// The bound addresses are checked again once the server has started (see <see cref="ApiKeyGate"/>).
/// </summary>
public static class ListenAddresses
{
    public static IReadOnlyList<string> Split(string? urls) =>
        string.IsNullOrWhiteSpace(urls) ? [] : urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Every address the configuration asks Kestrel to bind.</summary>
    public static IReadOnlyList<string> FromConfiguration(IConfiguration configuration)
    {
        var addresses = new List<string>(Split(configuration["urls"]));
        foreach (var key in new[] { "http_ports", "https_ports" })
            foreach (var port in Split(configuration[key]))
                addresses.Add("http://*:" + port); // Kestrel binds these ports on every interface
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
            if (endpoint["Url"] is { Length: > 0 } url) addresses.Add(url);
        return addresses;
    }

    public static bool AnyBeyondLoopback(IEnumerable<string> addresses) => addresses.Any(IsBeyondLoopback);

    /// <summary>"http://127.0.0.1:8080", "http://localhost:9000", "http://[::1]:1" are loopback; wildcards, 0.0.0.0, [::] and real addresses are not.</summary>
    public static bool IsBeyondLoopback(string address)
    {
        var host = address.Contains("://", StringComparison.Ordinal) ? address[(address.IndexOf("://", StringComparison.Ordinal) + 3)..] : address;
        host = host.Split('/')[0];
        host = host.StartsWith('[') && host.Contains(']', StringComparison.Ordinal) ? host[1..host.IndexOf(']', StringComparison.Ordinal)] : host.Split(':')[0];
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return false;
        return !(IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}
