namespace G3.Host.Composition;

/// <summary>Section <c>FirstStart</c>: what the service does when the embedded store does not exist yet.</summary>
public sealed class FirstStartSettings
{
    public const string SectionName = "FirstStart";

    /// <summary>
    /// Have the first-start world generated (if absent) and index it with the configured model. The world comes from
    /// the port the executable registers (Hosting/IFirstStartWorld.cs): g3's is the synthetic MP16-Pro world.
    /// </summary>
    public bool BuildEmbeddedStore { get; set; } = true;

    /// <summary>Where the first-start world is (or will be) generated.</summary>
    public string WorldDirectory { get; set; } = "data/mp16pro/generated/world";

    public int Seed { get; set; } = 1;
    public int DatabaseCount { get; set; } = 20000;
    public int QueryCount { get; set; } = 1000;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(WorldDirectory)) yield return "FirstStart:WorldDirectory must name a folder.";
        if (DatabaseCount < 1) yield return $"FirstStart:DatabaseCount must be at least 1 (got {DatabaseCount}).";
        if (QueryCount < 0) yield return $"FirstStart:QueryCount must not be negative (got {QueryCount}).";
    }
}
