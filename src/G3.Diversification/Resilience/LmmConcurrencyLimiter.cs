namespace G3.Diversification.Resilience;

/// <summary>
/// The process-wide cap on LMM calls in flight, shared by every provider's pipeline (register it as a singleton).
/// A slot is held for a whole request, back-off waits and fallbacks included, so a burst of users queues here
/// instead of multiplying load (and 429s) on the provider.
/// </summary>
public sealed class LmmConcurrencyLimiter : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private int _inFlight;

    public LmmConcurrencyLimiter(int maxConcurrentCalls)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentCalls, 1);
        MaxConcurrentCalls = maxConcurrentCalls;
        _slots = new SemaphoreSlim(maxConcurrentCalls, maxConcurrentCalls);
    }

    public int MaxConcurrentCalls { get; }

    /// <summary>Calls holding a slot now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Waits for a slot (cancellable); dispose the result to give it back.</summary>
    public async ValueTask<Slot> AcquireAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        Interlocked.Increment(ref _inFlight);
        return new Slot(this);
    }

    public void Dispose() => _slots.Dispose();

    private void Release()
    {
        Interlocked.Decrement(ref _inFlight);
        _slots.Release();
    }

    /// <summary>A held slot.</summary>
    public readonly struct Slot : IDisposable, IEquatable<Slot>
    {
        private readonly LmmConcurrencyLimiter? _owner;

        internal Slot(LmmConcurrencyLimiter owner) => _owner = owner;

        public void Dispose() => _owner?.Release();

        public bool Equals(Slot other) => ReferenceEquals(_owner, other._owner);

        public override bool Equals(object? obj) => obj is Slot other && Equals(other);

        public override int GetHashCode() => _owner?.GetHashCode() ?? 0;

        public static bool operator ==(Slot left, Slot right) => left.Equals(right);

        public static bool operator !=(Slot left, Slot right) => !left.Equals(right);
    }
}
