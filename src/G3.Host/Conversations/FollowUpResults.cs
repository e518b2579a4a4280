using G3.Core.Pipeline;
using G3.Diversification.Caching;
using Microsoft.Extensions.Caching.Hybrid;

namespace G3.Host.Conversations;

/// <summary>A photo's result as a conversation remembers it: the pipeline's result and the model that produced it.</summary>
[CacheFormat("g3.follow-up-result", 1)]
internal sealed record RecentResult(GeolocationResult Result, string ModelId);

/// <summary>
/// The latest results by image hash, so a text-only follow-up in a conversation ("why?", "which country?") is answered
/// without geolocating the photo again. They live in the process's HybridCache (G3Caches): L1 in process, bounded in
/// bytes, and L2 on disk or on the cache server that every replica shares, so the follow-up may land on any replica.
/// Holds results only, never images. A result that cannot be read back (another version, damaged) is logged and the
/// photo is geolocated again; a cache that cannot be reached is the same as a miss.
/// </summary>
internal sealed class FollowUpResults(HybridCache store, TimeSpan lifetime, ILogger<FollowUpResults> log)
{
    private const HybridCacheEntryFlags ReadOnlyFlags = HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite;

    /// <summary>Remembers <paramref name="result"/> under its query's hash (<see cref="GeolocationResult.ImageSha256"/>).</summary>
    public async Task PutAsync(GeolocationResult result, string modelId, CancellationToken cancellationToken)
    {
        try
        {
            await store.SetAsync(KeyOf(result.ImageSha256), CacheEnvelope.Of(new RecentResult(result, modelId)),
                new HybridCacheEntryOptions { Expiration = lifetime }, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "The result of {Image} was not cached; a follow-up about it geolocates the photo again", result.ImageSha256);
        }
    }

    /// <summary>The remembered result of the photo <paramref name="imageSha256"/>, or null.</summary>
    public async Task<RecentResult?> TryGetAsync(string imageSha256, CancellationToken cancellationToken)
    {
        CacheEnvelope<RecentResult>? found;
        try
        {
            found = await store.GetOrCreateAsync(KeyOf(imageSha256), static _ => ValueTask.FromResult<CacheEnvelope<RecentResult>?>(null),
                new HybridCacheEntryOptions { Flags = ReadOnlyFlags }, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "The result of {Image} could not be read from the cache; treated as a miss", imageSha256);
            return null;
        }
        if (found is { Value: null })
            log.LogWarning("The cached result of {Image} was ignored: {Why}", imageSha256, found.Refused);
        return found?.Value;
    }

    private static string KeyOf(string imageSha256) => "g3:follow-up-result:" + imageSha256;
}
