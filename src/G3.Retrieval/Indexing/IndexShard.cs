using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace G3.Retrieval.Indexing;

/// <summary>
/// One of <see cref="Count"/> disjoint parts of a photo collection, so that n machines or processes
/// can index into one Qdrant collection at once (<c>g3 index --shard i/n</c>, i from 1). A photo
/// belongs to the shard chosen by a fixed hash of its id (64-bit FNV-1a of the UTF-8 id, modulo n):
/// every id lands in exactly one shard whatever the row order, a photo listed twice lands twice in
/// the same shard (where the job's resume check skips it), and nothing depends on the machine or
/// the .NET version (unlike <c>string.GetHashCode</c>). Changing the hash re-deals every photo:
/// don't, or finish a sharded run first.
/// </summary>
public sealed record IndexShard
{
    /// <summary>The whole collection: one shard.</summary>
    public static readonly IndexShard All = new(1, 1);

    /// <summary>1-based shard number.</summary>
    public int Number { get; }

    /// <summary>How many shards the collection is split into.</summary>
    public int Count { get; }

    public IndexShard(int number, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "the number of shards must be at least 1");
        if (number < 1 || number > count)
            throw new ArgumentOutOfRangeException(nameof(number), number, string.Create(CultureInfo.InvariantCulture, $"the shard number must lie in 1..{count}"));
        Number = number;
        Count = count;
    }

    /// <summary>Parses "i/n" (e.g. "2/3"); the error says what is expected.</summary>
    public static bool TryParse(string? text, out IndexShard shard, out string error)
    {
        shard = All;
        error = "";
        var parts = text?.Split('/') ?? [];
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            error = $"'{text}' is not a shard: write i/n, the i-th of n shards, counting from 1 (e.g. 2/3)";
            return false;
        }
        if (count < 1 || number < 1 || number > count)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"shard '{text}' does not exist: i must lie in 1..n and n be at least 1");
            return false;
        }
        shard = new IndexShard(number, count);
        return true;
    }

    /// <summary>The 1-based shard an id belongs to when the collection is split into <paramref name="count"/>.</summary>
    public static int Of(string id, int count)
    {
        ArgumentNullException.ThrowIfNull(id);
        const ulong offset = 14695981039346656037UL, prime = 1099511628211UL;
        var hash = offset;
        Span<byte> buffer = stackalloc byte[4];
        foreach (var rune in id.EnumerateRunes())
        {
            var written = rune.EncodeToUtf8(buffer);
            for (var i = 0; i < written; i++) hash = (hash ^ buffer[i]) * prime;
        }
        return (int)(hash % (ulong)count) + 1;
    }

    public bool Contains(string id) => Count == 1 || Of(id, Count) == Number;

    /// <summary>The items of this shard, in their original order.</summary>
    public async IAsyncEnumerable<IndexItem> Filter(IAsyncEnumerable<IndexItem> items, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false))
            if (Contains(item.Id))
                yield return item;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Number}/{Count}");
}
