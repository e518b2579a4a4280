namespace G3.Host.Composition;

/// <summary>Section <c>Requests</c>: how large and how slow a request body may be.</summary>
public sealed class RequestLimitSettings
{
    public const string SectionName = "Requests";

    /// <summary>Largest request body, in bytes (413 past it). Default 30 MB: a 20 MiB image as base64 JSON fits.</summary>
    public long MaxBodyBytes { get; set; } = 30_000_000;

    /// <summary>Slowest body accepted after the grace period, in bytes per second (408 below it).</summary>
    public double MinBodyBytesPerSecond { get; set; } = 240;

    /// <summary>Seconds a body may be slower than the minimum rate before it is cut off (Kestrel needs more than 1).</summary>
    public double BodyGracePeriodSeconds { get; set; } = 5;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxBodyBytes <= 0) problems.Add($"Requests:MaxBodyBytes must be positive (got {MaxBodyBytes}).");
        if (!(MinBodyBytesPerSecond > 0)) problems.Add($"Requests:MinBodyBytesPerSecond must be positive (got {MinBodyBytesPerSecond}).");
        if (!(BodyGracePeriodSeconds > 1)) problems.Add($"Requests:BodyGracePeriodSeconds must be more than 1 (got {BodyGracePeriodSeconds}).");
        return problems;
    }
}
