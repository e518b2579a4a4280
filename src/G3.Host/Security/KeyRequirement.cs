using G3.Host.Composition;

namespace G3.Host.Security;

/// <summary>Whether /v1 needs an API key: Security:RequireApiKey, with "auto" decided from the addresses the service listens on.</summary>
public static class KeyRequirement
{
    /// <summary>Whether keys are required given the addresses the service listens on ("urls", ';'-separated).</summary>
    public static bool KeysRequired(this SecuritySettings settings, string? urls) => settings.KeysRequired(ListenAddresses.Split(urls));

    /// <summary>Whether keys are required given every address the service listens (or will listen) on.</summary>
    public static bool KeysRequired(this SecuritySettings settings, IEnumerable<string> addresses) => settings.RequireApiKey.Trim().ToUpperInvariant() switch
    {
        "TRUE" => true,
        "FALSE" => false,
        "AUTO" => ListenAddresses.AnyBeyondLoopback(addresses),
        _ => throw new InvalidOperationException($"Security:RequireApiKey must be auto, true or false (got '{settings.RequireApiKey}')"),
    };
}
