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
