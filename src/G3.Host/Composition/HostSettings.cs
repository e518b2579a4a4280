namespace G3.Host.Composition;

/// <summary>Section <c>Hosting</c>: process lifetime.</summary>
public sealed class HostingSettings
{
    public const string SectionName = "Hosting";

    /// <summary>On SIGTERM/Ctrl-C, seconds in-flight requests get to finish.</summary>
    public double ShutdownTimeoutSeconds { get; set; } = 30;

    public IEnumerable<string> Validate()
    {
        if (ShutdownTimeoutSeconds < 0) yield return $"Hosting:ShutdownTimeoutSeconds must not be negative (got {ShutdownTimeoutSeconds}).";
    }
}

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

/// <summary>Section <c>Conversations</c>: text-only follow-ups answered from recent results.</summary>
public sealed class ConversationSettings
{
    public const string SectionName = "Conversations";

    /// <summary>How many recent results (by image hash) follow-ups can refer to.</summary>
    public int MaxResults { get; set; } = 1024;

    public IEnumerable<string> Validate()
    {
        if (MaxResults < 1) yield return $"Conversations:MaxResults must be at least 1 (got {MaxResults}).";
    }
}

/// <summary>The part of section <c>Images</c> the host reads itself (the decoder's limits bind to ImageLimits).</summary>
public sealed class ImageFetchSettings
{
    public const string SectionName = "Images";

    /// <summary>Time limit for fetching an image URL.</summary>
    public double UrlTimeoutSeconds { get; set; } = 10;

    public IEnumerable<string> Validate()
    {
        if (UrlTimeoutSeconds <= 0) yield return $"Images:UrlTimeoutSeconds must be positive (got {UrlTimeoutSeconds}).";
    }
}
