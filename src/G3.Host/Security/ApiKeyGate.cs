using System.Security.Cryptography;
using System.Text;
using G3.Host.Composition;

namespace G3.Host.Security;

/// <summary>
/// The accepted API keys and whether they are required. "auto" decides from the configured listen
/// addresses at build time and again from the addresses actually bound once the server has started;
/// until that second decision it fails closed (keys required), so no request slips through a window.
/// </summary>
public sealed class ApiKeyGate
{
    private readonly IReadOnlyList<byte[]> _keys;
    private readonly bool _auto;
    private volatile bool _required;

    public ApiKeyGate(SecuritySettings settings, IReadOnlyList<string> configuredAddresses)
    {
        _keys = (settings.ApiKeys ?? []).Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => Encoding.UTF8.GetBytes(k.Trim())).ToList();
        _auto = settings.RequireApiKey.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase);
        _required = _auto || settings.KeysRequired(configuredAddresses);
        if (settings.KeysRequired(configuredAddresses) && _keys.Count == 0)
            throw new InvalidOperationException(MissingKeyMessage);
    }

    public const string MissingKeyMessage =
        "the service listens beyond loopback but no API key is configured: set G3_Security__ApiKeys__0=<key> " +
        "(or Security:RequireApiKey=false to serve without keys, e.g. behind your own gateway)";

    public bool KeysRequired => _required;

    public bool HasKeys => _keys.Count > 0;

    /// <summary>
    /// The final "auto" decision from the bound addresses. Returns false when they reach beyond loopback
    /// while no key is configured: the caller then stops the service (and the gate stays closed).
    /// </summary>
    public bool DecideFromBoundAddresses(IEnumerable<string> bound, IReadOnlyList<string> configuredAddresses)
    {
        if (!_auto) return true;
        var beyond = ListenAddresses.AnyBeyondLoopback(bound) || ListenAddresses.AnyBeyondLoopback(configuredAddresses);
        if (beyond && _keys.Count == 0) return false;
        _required = beyond;
        return true;
    }

    /// <summary>Compares in fixed time against every key, so timing reveals nothing; the key's id is a short hash, never the key.</summary>
    public bool TryMatch(string presented, out string keyId)
    {
        var bytes = Encoding.UTF8.GetBytes(presented);
        var match = false;
        foreach (var key in _keys) match |= CryptographicOperations.FixedTimeEquals(key, bytes);
        keyId = match ? Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] : "";
        return match;
    }
}
