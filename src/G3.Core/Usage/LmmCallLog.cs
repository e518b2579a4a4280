namespace G3.Core.Usage;

/// <summary>
/// The provider calls of one request, recorded as they come back, by every generation of the request at once (winners,
/// losers of a fallback race and calls whose answers did not parse alike: each was billed).
/// </summary>
public sealed class LmmCallLog
{
    private readonly List<LmmCall> _calls = [];
    private readonly Lock _gate = new();

    public void Record(LmmCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        lock (_gate)
            _calls.Add(call);
    }

    /// <summary>A snapshot of the calls so far.</summary>
    public IReadOnlyList<LmmCall> Calls
    {
        get { lock (_gate) return [.. _calls]; }
    }
}
