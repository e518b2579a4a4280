using G3.Diversification.Caching;

namespace G3.Host.Composition;

/// <summary>Section <c>Cache</c>: the on-disk LMM response cache.</summary>
public sealed class CacheSettings
{
    public const string SectionName = "Cache";

    public CacheMode Mode { get; set; } = CacheMode.ReadWrite;
    public string Directory { get; set; } = "data/cache/lmm";
}
