using System.Text.Json;
using G3.Diversification.Parsing;

namespace G3.Diversification.Caching;

/// <summary>off: never read or write; read-only: replay answers, never store; read-write: both.</summary>
public enum CacheMode
{
    Off,
    ReadOnly,
    ReadWrite,
}

/// <summary>
/// Content-addressed on-disk cache of LMM answers (one small JSON file per answer, fanned out into
/// 256 sub-folders). Writers publish by atomic rename, so concurrent writers and readers never see a
/// partial entry; an entry that does not parse or whose stored key differs from the one asked for is
/// treated as a miss and rewritten by the next store.
/// <para>
/// What is kept, and for how long: an answer that holds a valid coordinate is kept until the folder is cleared. An empty,
/// refused or unparsable answer (no valid coordinate: "I cannot tell", "", a broken JSON) is kept for
/// <see cref="UnusableAnswerLifetime"/> only, then it is a miss and the provider is asked again: replaying it soon after
/// saves a bill, but a refusal or an empty answer from a bad moment must not stand in for that sample for ever.
/// </para>
/// </summary>
public sealed class ResponseCache
{
    private long _hits, _misses, _corrupt, _writes;

    private readonly TimeProvider _time;

    public ResponseCache(string directory, CacheMode mode, TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        Directory = Path.GetFullPath(directory);
        Mode = mode;
        if (mode != CacheMode.Off)
            System.IO.Directory.CreateDirectory(Directory);
    }

    /// <summary>A cache that never hits and never stores.</summary>
    public static ResponseCache Disabled { get; } = new(Path.GetTempPath(), CacheMode.Off);

    public string Directory { get; }

    /// <summary>How long an answer without a valid coordinate is replayed before the provider is asked again.</summary>
    public TimeSpan UnusableAnswerLifetime { get; init; } = TimeSpan.FromHours(1);

    public CacheMode Mode { get; }
    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);
    public long Corrupt => Interlocked.Read(ref _corrupt);
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Identical requests in flight at once share one provider call (used whenever the cache is not off).</summary>
    public InFlightRequests InFlight { get; } = new();

    public async Task<string?> TryGetAsync(ResponseCacheKey key, CancellationToken cancellationToken)
    {
        if (Mode == CacheMode.Off) return null;
        var path = PathFor(key.Hash());
        if (!File.Exists(path))
        {
            Interlocked.Increment(ref _misses);
            return null;
        }
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync: true);
            var entry = await JsonSerializer.DeserializeAsync<Entry>(stream, CacheJson.Options, cancellationToken).ConfigureAwait(false);
            if (entry?.Key == key && entry.Text is not null && entry.Expires is { } expires && expires <= _time.GetUtcNow())
            {
                // An unusable answer whose time is up: a miss (not corrupt), and the next store replaces it.
                Interlocked.Increment(ref _misses);
                return null;
            }
            if (entry?.Key == key && entry.Text is not null)
            {
                Interlocked.Increment(ref _hits);
                return entry.Text;
            }
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            // Fall through: a damaged entry is a miss, and the next store replaces it.
        }
        Interlocked.Increment(ref _corrupt);
        Interlocked.Increment(ref _misses);
        return null;
    }

    public async Task SetAsync(ResponseCacheKey key, string text, CancellationToken cancellationToken)
    {
        if (Mode != CacheMode.ReadWrite) return;
        var path = PathFor(key.Hash());
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        var now = _time.GetUtcNow();
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await JsonSerializer.SerializeAsync(stream, new Entry(key, text, now, Usable(text) ? null : now + UnusableAnswerLifetime), CacheJson.Options, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            File.Move(temp, path, overwrite: true);
            Interlocked.Increment(ref _writes);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private string PathFor(string hash) => Path.Combine(Directory, hash[..2], hash + ".json");

    private static bool Usable(string text) => CoordinateParser.Parse(text).Point is not null;

    /// <param name="Expires">Null: kept until the folder is cleared (answers with a valid coordinate).</param>
    private sealed record Entry(ResponseCacheKey Key, string Text, DateTimeOffset Created, DateTimeOffset? Expires = null);
}
