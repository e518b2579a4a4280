using System.Security.Cryptography;

namespace G3.Core.Ports;

/// <summary>
/// The photo to geolocate, as the encoded bytes the user sent. Its SHA-256 identifies it for caches
/// (LMM responses, conversation results) without keeping or logging the image itself.
/// </summary>
public sealed class QueryImage
{
    private string? _sha256;

    public QueryImage(ReadOnlyMemory<byte> bytes, string? mediaType = null)
    {
        Bytes = bytes;
        MediaType = mediaType;
    }

    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>Declared media type (e.g. image/jpeg) when known; decoders sniff the bytes regardless.</summary>
    public string? MediaType { get; }

    /// <summary>Lower-case hex SHA-256 of the bytes, computed once.</summary>
    public string Sha256 => _sha256 ??= Convert.ToHexStringLower(SHA256.HashData(Bytes.Span));
}
