namespace G3.Host.Composition;

/// <summary>Section <c>Conversations</c>: text-only follow-ups answered from recent results.</summary>
public sealed class ConversationSettings
{
    public const string SectionName = "Conversations";

    /// <summary>
    /// How long a follow-up can refer to a photo's result (by image hash). Results live in the cache (section
    /// <c>Cache</c>): L1 in process, L2 on disk or on the shared cache server, so any replica can answer.
    /// </summary>
    public TimeSpan ResultLifetime { get; set; } = TimeSpan.FromDays(1);

    public IEnumerable<string> Validate()
    {
        if (ResultLifetime < TimeSpan.FromSeconds(1) || ResultLifetime > TimeSpan.FromDays(365))
            yield return $"Conversations:ResultLifetime must lie between 00:00:01 and 365.00:00:00 (got {ResultLifetime}).";
    }
}
