using System.Collections.Concurrent;
using System.Security.Cryptography;
using G3.Alignment.Encoders;
using G3.Core.Pipeline;
using G3.Core.Ports;

namespace G3.Evaluation;

/// <summary>
/// Encodes an experiment's images in full batches before the per-image pipelines run, and leaves each
/// embedding in the run's <see cref="CachingImageEncoder"/> under the hash of the image's bytes, so every
/// pipeline finds it there instead of sending the image to the model alone. Reading, decoding and
/// preprocessing run in parallel through <see cref="BatchImageEncoder"/>. Only successes are cached: an
/// image that cannot be read or decoded (or a batch the model failed on) is left to the per-image path,
/// which reports its error on that image's result line exactly as an unbatched run does.
/// </summary>
internal static class EmbeddingPrefill
{
    /// <returns>Images encoded and the model runs they took.</returns>
    public static async Task<(int Encoded, int ModelRuns)> RunAsync(IImageBatchEncoder model, BatchEncodingOptions options,
        CachingImageEncoder cache, IReadOnlyCollection<string> paths, CancellationToken cancellationToken)
    {
        if (paths.Count == 0) return (0, 0);
        // The cache is keyed by content hash: workers hash the bytes they read, in parallel with decoding.
        var hashes = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        async IAsyncEnumerable<ImageSource<string>> Sources()
        {
            foreach (var path in paths)
                yield return new ImageSource<string>(path, async ct =>
                {
                    var bytes = await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false);
                    hashes[path] = Convert.ToHexStringLower(SHA256.HashData(bytes));
                    return bytes;
                });
            await Task.CompletedTask.ConfigureAwait(false);
        }

        int encoded = 0, runs = 0;
        try
        {
            await foreach (var batch in new BatchImageEncoder(model, options).EncodeAsync(Sources(), cancellationToken).ConfigureAwait(false))
            {
                var succeeded = 0;
                foreach (var result in batch.Where(r => r.Succeeded))
                {
                    succeeded++;
                    if (cache.Prefill(hashes[result.Key], result.Embedding!)) encoded++;
                }
                if (succeeded > 0) runs++;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A model error ends the batched stream. What was cached stays; the rest goes image by image,
            // where the error lands on each affected result line instead of ending the whole run.
        }
        return (encoded, runs);
    }
}
