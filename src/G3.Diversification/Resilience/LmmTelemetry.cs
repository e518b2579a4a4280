using System.Diagnostics.Metrics;

namespace G3.Diversification.Resilience;

/// <summary>
/// The LMM metrics, on the "G3.Diversification" meter so OpenTelemetry can export them. Every instrument carries a
/// <c>provider</c> tag (the configured name). Singleton: create one per process (or per meter factory).
/// </summary>
public sealed class LmmTelemetry : IDisposable
{
    public const string MeterName = "G3.Diversification";

    private readonly Meter _meter;

    public LmmTelemetry(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        Calls = _meter.CreateCounter<long>("g3.lmm.calls", "{call}", "LMM HTTP attempts, tagged provider, outcome (ok|error|cancelled) and http.status when an error had one.");
        Retries = _meter.CreateCounter<long>("g3.lmm.retries", "{retry}", "Retries of transient LMM failures, tagged provider.");
        CircuitBreaks = _meter.CreateCounter<long>("g3.lmm.circuit_breaks", "{break}", "Times a provider's circuit opened, tagged provider.");
        Fallbacks = _meter.CreateCounter<long>("g3.lmm.fallbacks", "{fallback}", "Requests handed from a failed provider to the next, tagged provider (failed) and to.");
        CallDuration = _meter.CreateHistogram<double>("g3.lmm.call.duration", "s", "Duration of one LMM HTTP attempt, tagged provider and outcome.");
    }

    internal Counter<long> Calls { get; }

    internal Counter<long> Retries { get; }

    internal Counter<long> CircuitBreaks { get; }

    internal Counter<long> Fallbacks { get; }

    internal Histogram<double> CallDuration { get; }

    public void Dispose() => _meter.Dispose();
}
