namespace G3.Core.Ports;

/// <summary>
/// Geo-alignment's image side: decodes, preprocesses and encodes photos. Implementations batch
/// where they can and are safe to call concurrently.
/// </summary>
public interface IImageEncoder
{
    Task<IReadOnlyList<ImageEmbedding>> EncodeBatchAsync(IReadOnlyList<QueryImage> images, CancellationToken cancellationToken);

    async Task<ImageEmbedding> EncodeAsync(QueryImage image, CancellationToken cancellationToken) =>
        (await EncodeBatchAsync([image], cancellationToken).ConfigureAwait(false))[0];
}
