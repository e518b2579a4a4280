using System.Collections.Concurrent;
using G3.Core.Ports;

namespace G3.Evaluation;

/// <summary>
/// Remembers each image's embedding by its hash for the length of an evaluation run, so N
/// configurations over the same images cost one encoder call per image, not N.
/// </summary>
internal sealed class CachingImageEncoder(IImageEncoder inner) : IImageEncoder
{
    private readonly ConcurrentDictionary<string, Lazy<Task<ImageEmbedding>>> _cache = new(StringComparer.Ordinal);
    private int _calls;

    /// <summary>Images actually sent to the inner encoder.</summary>
    public int EncoderCalls => Volatile.Read(ref _calls);

    public async Task<IReadOnlyList<ImageEmbedding>> EncodeBatchAsync(IReadOnlyList<QueryImage> images, CancellationToken cancellationToken)
    {
        var results = new ImageEmbedding[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            var image = images[i];
            var lazy = _cache.GetOrAdd(image.Sha256, _ => new Lazy<Task<ImageEmbedding>>(async () =>
            {
                Interlocked.Increment(ref _calls);
                return (await inner.EncodeBatchAsync([image], CancellationToken.None).ConfigureAwait(false))[0];
            }));
            try
            {
                results[i] = await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _cache.TryRemove(image.Sha256, out _); // a failure is not remembered
                throw;
            }
        }
        return results;
    }
}
