namespace G3.Host.Composition;

/// <summary>Section <c>Telemetry</c>: where traces and metrics go.</summary>
public sealed class TelemetrySettings
{
    public const string SectionName = "Telemetry";

    /// <summary>OTLP collector URL, e.g. http://127.0.0.1:4317; empty = not exported.</summary>
    public string? OtlpEndpoint { get; set; }

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrWhiteSpace(OtlpEndpoint) && !Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out _))
            yield return $"Telemetry:OtlpEndpoint '{OtlpEndpoint}' is not an absolute URL.";
    }
}
