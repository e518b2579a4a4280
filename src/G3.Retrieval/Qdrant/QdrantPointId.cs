using System.Security.Cryptography;
using System.Text;

namespace G3.Retrieval.Qdrant;

/// <summary>
/// Maps the store's string ids (MP16-Pro's "a1/b2/123.jpg") to Qdrant point ids, which must be
/// unsigned integers or UUIDs. The mapping is a name-based UUID in the shape of RFC 9562's
/// SHA-256 example (UUIDv8): SHA-256(namespace bytes || UTF-8 id), first 16 bytes, version 8,
/// RFC variant. It is deterministic across processes and machines, so re-indexing overwrites
/// instead of duplicating; the original id travels in the payload (<c>img_id</c>).
/// Changing the namespace or the algorithm orphans every stored point: don't.
/// </summary>
public static class QdrantPointId
{
    /// <summary>G3's fixed namespace for reference-photo ids (random, chosen once).</summary>
    public static readonly Guid Namespace = new("37c58c0e-ca2b-475b-83a3-f2f4930f0568");

    /// <summary>The Qdrant UUID (lower-case, hyphenated, as Qdrant echoes it) for a store id.</summary>
    public static string FromId(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var name = Encoding.UTF8.GetBytes(id);
        var input = new byte[16 + name.Length];
        Namespace.TryWriteBytes(input, bigEndian: true, out _);
        name.CopyTo(input, 16);

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // variant 10xx
        return new Guid(hash[..16], bigEndian: true).ToString("D");
    }
}
