namespace G3.Host.Composition;

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
