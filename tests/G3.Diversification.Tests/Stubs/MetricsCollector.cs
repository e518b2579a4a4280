using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using G3.Diversification.Resilience;

namespace G3.Diversification.Tests.Stubs;

/// <summary>Listens to the "G3.Diversification" meter and sums measurements per instrument for one provider tag.</summary>
internal sealed class MetricsCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly string _provider;
    private readonly ConcurrentDictionary<string, double> _sums = new();

    public MetricsCollector(string provider)
    {
        _provider = provider;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == LmmTelemetry.MeterName)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, 1, tags)); // histograms: count records
        _listener.Start();
    }

    public double this[string instrument] => _sums.GetValueOrDefault(instrument);

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
            if (tag.Key == "provider" && Equals(tag.Value, _provider))
                _sums.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
    }
}
