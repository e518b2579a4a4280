using System.Security.Cryptography;
using System.Text;

namespace G3.Core.Ports;

/// <summary>
/// One place asked about with 1..<see cref="MaxImages"/> photos (views of the same place, as PIGEON's panoramas are).
/// The pipeline encodes every photo, retrieves and verifies with their weighted mean embedding, and shows all of them
/// to the LMM. A query of one photo behaves exactly as that photo alone.
/// </summary>
public sealed class PlaceQuery
{
    /// <summary>The most photos one query may hold (the API refuses more with a 400).</summary>
    public const int MaxImages = 8;

    private string? _sha256;

    public PlaceQuery(IReadOnlyList<QueryImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count is < 1 or > MaxImages)
            throw new ArgumentException($"a query holds 1 to {MaxImages} photos, not {images.Count}", nameof(images));
        if (images.Any(i => i is null))
            throw new ArgumentException("a query's photos must not be null", nameof(images));
        Images = images.ToArray();
    }

    public PlaceQuery(QueryImage image) : this([image]) { }

    /// <summary>The photos, in the order given (weights and reports refer to them by this index).</summary>
    public IReadOnlyList<QueryImage> Images { get; }

    /// <summary>
    /// What caches key the query by (LMM responses, conversation results): one photo's own SHA-256, so single-photo
    /// keys are unchanged; for several, the SHA-256 of their hashes in order, so every photo is part of the key.
    /// </summary>
    public string Sha256 => _sha256 ??= Images.Count == 1
        ? Images[0].Sha256
        : Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes("views:" + string.Join(',', Images.Select(i => i.Sha256)))));
}
