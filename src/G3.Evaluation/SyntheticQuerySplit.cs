using System.Text.Json.Serialization;

namespace G3.Evaluation;

/// <summary>
/// The query split of a synthetic world, named by how it is generated (<c>g3 synth --seed Seed --database 1
/// --queries Queries</c>), so an experiment file can produce its photos itself. The generator is prefix-stable:
/// the first N photos of a seed are the same whatever --queries asked for, so a split is fixed by its two numbers.
/// </summary>
/// <param name="Seed">The world's seed.</param>
/// <param name="Queries">Photos in the split (the first N of that seed).</param>
/// <param name="Directory">Where the world is (generated when missing); null: <see cref="DefaultDirectory"/>.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SyntheticQuerySplit(int Seed, int Queries, string? Directory = null)
{
    public const int MaxQueries = 1_000_000;

    /// <summary>Relative to the repository root, beside the first start's world (git-ignored).</summary>
    public string DefaultDirectory => $"data/mp16pro/generated/seed{Seed}-queries{Queries}";

    /// <summary>The folder this split lives in: <see cref="Directory"/> when given, else <see cref="DefaultDirectory"/>.</summary>
    public string Folder => Directory ?? DefaultDirectory;

    /// <summary>Image ids of this split in a store that holds several: prefixed by the seed, since every seed numbers its queries from 1.</summary>
    public string StoreId(string imageId) => $"seed{Seed}/{imageId}";

    public IEnumerable<string> Problems(string where)
    {
        if (Seed < 0) yield return $"{where}.seed must not be negative (got {Seed}).";
        if (Queries is < 1 or > MaxQueries) yield return $"{where}.queries must be 1..{MaxQueries} (got {Queries}).";
    }
}
