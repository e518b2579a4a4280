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

    /// <summary>Images actually encoded: sent to the inner encoder, or prefilled from a batched pass.</summary>
    public int EncoderCalls => Volatile.Read(ref _calls);

    /// <summary>Stores an embedding computed elsewhere (a batched pre-pass); false when the image was already known.</summary>
    public bool Prefill(string sha256, ImageEmbedding embedding)
    {
        if (!_cache.TryAdd(sha256, new Lazy<Task<ImageEmbedding>>(Task.FromResult(embedding)))) return false;
        Interlocked.Increment(ref _calls);
        return true;
    }

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
