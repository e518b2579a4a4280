namespace G3.Host.Composition;

/// <summary>
/// Section <c>Dependencies</c>: how the service waits for the servers it needs (Qdrant when <c>Store:Kind</c> is qdrant,
/// the LMM providers named in <see cref="RequiredProviders"/>). A server that cannot be reached is tried again after
/// <see cref="RetryBaseDelay"/>, doubling (with jitter) up to <see cref="MaxRetryDelay"/>, for as long as it takes;
/// /readyz says what the service waits for meanwhile. See <see cref="Hosting.ServerWaits"/>.
/// </summary>
public sealed class DependencySettings
{
    public const string SectionName = "Dependencies";

    /// <summary>The wait after the first failed attempt to reach a server.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>While the service is ready, how often each required server is checked (Qdrant: one collection lookup).</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// LMM providers (names under <c>Lmm:Providers</c>) that must answer before the service is ready: each is asked for one
    /// token at start, and waited for while it cannot be reached. Empty: LMM outages only drop LMM candidates.
    /// </summary>
    public string[] RequiredProviders { get; set; } = [];

    public IEnumerable<string> Validate()
    {
        if (RetryBaseDelay < TimeSpan.FromMilliseconds(1) || RetryBaseDelay > TimeSpan.FromHours(1))
            yield return $"Dependencies:RetryBaseDelay must lie between 00:00:00.001 and 01:00:00 (got {RetryBaseDelay}).";
        if (MaxRetryDelay < RetryBaseDelay || MaxRetryDelay > TimeSpan.FromDays(1))
            yield return $"Dependencies:MaxRetryDelay must lie between RetryBaseDelay and 1.00:00:00 (got {MaxRetryDelay}).";
        if (ProbeInterval < TimeSpan.FromMilliseconds(10) || ProbeInterval > TimeSpan.FromDays(1))
            yield return $"Dependencies:ProbeInterval must lie between 00:00:00.010 and 1.00:00:00 (got {ProbeInterval}).";
        foreach (var name in RequiredProviders ?? [])
            if (string.IsNullOrWhiteSpace(name)) yield return "Dependencies:RequiredProviders must hold provider names, not empty entries.";
    }
}
