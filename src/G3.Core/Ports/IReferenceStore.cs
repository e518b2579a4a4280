using G3.Core.Candidates;
using G3.Core.Geo;

namespace G3.Core.Ports;

/// <summary>One database photo as stored: its retrieval vector and the payload returned with hits.</summary>
public sealed record ReferenceRecord(string Id, float[] Vector, GeoPoint Point, Place? Place = null);

/// <summary>The most and the least similar references of one query.</summary>
public sealed record ReferenceNeighbours(IReadOnlyList<ReferencePhoto> Similar, IReadOnlyList<ReferencePhoto> Dissimilar);

/// <summary>
/// The MP16-Pro vector index (embedded or Qdrant). Similarity is the inner product of
/// (normalised) embeddings; results come best first.
/// </summary>
public interface IReferenceStore
{
    int Dimension { get; }

    Task UpsertAsync(IReadOnlyList<ReferenceRecord> records, CancellationToken cancellationToken);

    /// <summary>The k most similar photos, most similar first. Fewer when the store holds fewer.</summary>
    Task<IReadOnlyList<ReferencePhoto>> SearchAsync(ReadOnlyMemory<float> query, int k, CancellationToken cancellationToken);

    /// <summary>The k least similar photos, least similar first (the reference implementation's "dissimilar" references).</summary>
    Task<IReadOnlyList<ReferencePhoto>> SearchLeastSimilarAsync(ReadOnlyMemory<float> query, int k, CancellationToken cancellationToken);

    /// <summary>Several queries at once; stores that can share one pass over memory override this.</summary>
    async Task<IReadOnlyList<IReadOnlyList<ReferencePhoto>>> SearchBatchAsync(
        IReadOnlyList<ReadOnlyMemory<float>> queries, int k, CancellationToken cancellationToken)
    {
        var results = new IReadOnlyList<ReferencePhoto>[queries.Count];
        for (var i = 0; i < queries.Count; i++)
            results[i] = await SearchAsync(queries[i], k, cancellationToken).ConfigureAwait(false);
        return results;
    }

    /// <summary>
    /// The <paramref name="k"/> most and the <paramref name="kLeast"/> least similar photos of one query
    /// (either count may be 0). A request needs both, so stores that can find them in one pass over
    /// their vectors (or one round trip) override this; the default runs the two searches side by side.
    /// </summary>
    async Task<ReferenceNeighbours> SearchNeighboursAsync(ReadOnlyMemory<float> query, int k, int kLeast, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(kLeast);
        var similar = k > 0 ? SearchAsync(query, k, cancellationToken) : Task.FromResult<IReadOnlyList<ReferencePhoto>>([]);
        var dissimilar = kLeast > 0 ? SearchLeastSimilarAsync(query, kLeast, cancellationToken) : Task.FromResult<IReadOnlyList<ReferencePhoto>>([]);
        await Task.WhenAll(similar, dissimilar).ConfigureAwait(false);
        return new ReferenceNeighbours(await similar.ConfigureAwait(false), await dissimilar.ConfigureAwait(false));
    }

    Task<long> CountAsync(CancellationToken cancellationToken);

    /// <summary>Which of the given ids are already stored (lets an interrupted indexing run resume).</summary>
    Task<IReadOnlySet<string>> FindExistingAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken);

    /// <summary>Deletes the given ids; returns how many existed.</summary>
    Task<int> DeleteAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken);
}
