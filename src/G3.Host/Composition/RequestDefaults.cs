using G3.Core.Options;

namespace G3.Host.Composition;

/// <summary>What every request starts from (section <c>Pipeline</c>): the G3 options it may override, and its time limit.</summary>
public sealed class RequestDefaults(PipelineSettings settings)
{
    /// <summary>The default G3 options of a request.</summary>
    public G3Options Options { get; } = settings.ToOptions().EnsureValid();

    /// <summary>How long one API request may take in all (Pipeline:RequestTimeoutSeconds); then 504.</summary>
    public TimeSpan Timeout { get; } = TimeSpan.FromSeconds(settings.RequestTimeoutSeconds > 0 ? settings.RequestTimeoutSeconds : 120);
}
