using G3.Diversification.Providers;

namespace G3.Diversification.Resilience;

/// <summary>
/// The provider's circuit is open after repeated failures: the call failed fast without reaching the server.
/// Transient (the circuit closes again); <see cref="LmmProviderException.RetryAfter"/> is when it will let a probe through.
/// </summary>
public sealed class LmmCircuitOpenException : LmmProviderException
{
    public LmmCircuitOpenException()
        : this("unknown", null, null)
    {
    }

    public LmmCircuitOpenException(string message)
        : base(message)
    {
    }

    public LmmCircuitOpenException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public LmmCircuitOpenException(string provider, TimeSpan? retryAfter, Exception? innerException)
        : base(
            provider,
            $"LMM provider '{provider}' is failing repeatedly; its circuit is open and calls fail fast" +
                (retryAfter is { } r ? $" for another {r.TotalSeconds:0.#} s" : "") + ".",
            statusCode: null,
            isTransient: true,
            retryAfter,
            innerException)
    {
    }
}
