namespace G3.Diversification.Resilience;

/// <summary>
/// The deadline of the generation request the current call belongs to, flowing with the async call (through Semantic
/// Kernel's function invocation) down to each provider's resilience pipeline, which sizes every attempt's timeout from
/// it and stops retrying once it has passed. Unset: attempts get their provider's configured timeout.
/// </summary>
public static class LmmDeadline
{
    private static readonly AsyncLocal<DateTimeOffset?> s_current = new();

    public static DateTimeOffset? Current => s_current.Value;

    /// <summary>Sets the deadline for the calls made inside the returned scope.</summary>
    public static Scope Enter(DateTimeOffset deadline)
    {
        var previous = s_current.Value;
        s_current.Value = deadline;
        return new Scope(previous);
    }

    public readonly struct Scope : IDisposable, IEquatable<Scope>
    {
        private readonly DateTimeOffset? _previous;

        internal Scope(DateTimeOffset? previous) => _previous = previous;

        public void Dispose() => s_current.Value = _previous;

        public bool Equals(Scope other) => _previous == other._previous;

        public override bool Equals(object? obj) => obj is Scope other && Equals(other);

        public override int GetHashCode() => _previous.GetHashCode();

        public static bool operator ==(Scope left, Scope right) => left.Equals(right);

        public static bool operator !=(Scope left, Scope right) => !left.Equals(right);
    }
}
