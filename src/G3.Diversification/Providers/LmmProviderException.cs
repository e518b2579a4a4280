namespace G3.Diversification.Providers;

/// <summary>
/// A provider call failed. Every provider maps its own errors (SDK exceptions, HTTP statuses, socket
/// errors, bad payloads) into this one type so the resilience layer classifies them in one way:
/// <see cref="IsTransient"/> decides retry and circuit-breaker accounting, <see cref="RetryAfter"/>
/// is the server's own back-off request.
/// </summary>
public class LmmProviderException : Exception
{
    public LmmProviderException()
        : this("LMM provider call failed.")
    {
    }

    public LmmProviderException(string message)
        : this(message, null)
    {
    }

    public LmmProviderException(string message, Exception? innerException)
        : this(provider: "unknown", message, statusCode: null, isTransient: false, retryAfter: null, innerException)
    {
    }

    public LmmProviderException(string provider, string message, int? statusCode, bool isTransient, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Provider = provider;
        StatusCode = statusCode;
        IsTransient = isTransient;
        RetryAfter = retryAfter;
    }

    /// <summary>The configured provider name (e.g. "gpt4o").</summary>
    public string Provider { get; }

    /// <summary>The HTTP status the server answered with; null when no response came (timeout, reset, DNS).</summary>
    public int? StatusCode { get; }

    /// <summary>True when trying again later may succeed: 408, 429, 5xx, timeouts, connection failures.</summary>
    public bool IsTransient { get; }

    /// <summary>The server's Retry-After (or retry-after-ms), when it sent one.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>408 (request timeout), 429 (rate limited) and every 5xx are worth retrying; other statuses describe the request itself.</summary>
    public static bool IsTransientStatus(int statusCode) => statusCode is 408 or 429 or >= 500;

    /// <summary>An error response: the message says what the status usually means so an operator can act on it.</summary>
    public static LmmProviderException FromStatus(string provider, int statusCode, string? serverMessage, TimeSpan? retryAfter, Exception? innerException = null)
    {
        var hint = statusCode switch
        {
            400 => "the provider rejected the request (check the model supports images, and the request options)",
            401 => "authentication failed (check the provider's API key)",
            403 => "access denied (check the key's permissions for this model)",
            404 => "not found (check the endpoint URL and the model name)",
            408 => "the server timed out the request",
            429 => "rate limited",
            >= 500 => "server error",
            _ => "unexpected status",
        };
        var detail = string.IsNullOrWhiteSpace(serverMessage) ? "" : $": {Truncate(serverMessage.Trim(), 300)}";
        return new LmmProviderException(
            provider,
            $"LMM provider '{provider}' answered HTTP {statusCode} — {hint}{detail}",
            statusCode,
            IsTransientStatus(statusCode),
            retryAfter,
            innerException);
    }

    /// <summary>No response arrived (connection refused/reset, broken body, network timeout): always transient.</summary>
    public static LmmProviderException Unreachable(string provider, Exception innerException) =>
        new(provider, $"LMM provider '{provider}' could not be reached: {innerException.Message}", statusCode: null, isTransient: true, retryAfter: null, innerException);

    /// <summary>A 2xx response whose body is not what the protocol promises; retrying the same server will not fix it.</summary>
    public static LmmProviderException Malformed(string provider, string what, Exception? innerException = null) =>
        new(provider, $"LMM provider '{provider}' sent a malformed response: {what}", statusCode: null, isTransient: false, retryAfter: null, innerException);

    private static string Truncate(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");
}
