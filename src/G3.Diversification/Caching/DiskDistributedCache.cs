using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace G3.Diversification.Caching;

/// <summary>
/// The embedded L2: an <see cref="IDistributedCache"/> that keeps each entry in one file under a folder, so answers survive
/// a restart with no server to run. A file is named by the SHA-256 of its key and fanned out into 256 sub-folders; it holds
/// a 4-byte mark of this layout ("G3L" and the layout version, 1), the entry's absolute expiry (8 bytes, Unix milliseconds, 0 for
/// none) and then the bytes HybridCache gave. A file without the mark (damaged, or another program's) is a miss, counted
/// in <see cref="Damaged"/> and logged, and the next write replaces it. Writers
/// publish by atomic rename, so concurrent writers and readers never see a partial entry. One process or several on one
/// volume may share the folder; replicas on several machines share a Redis-protocol server instead (docs/scale.md).
/// Sliding expiry is not kept (HybridCache never asks for it).
/// </summary>
public sealed class DiskDistributedCache : IDistributedCache
{
    private static readonly byte[] Mark = "G3L\u0001"u8.ToArray();
    private static readonly int HeaderBytes = Mark.Length + sizeof(long);
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private long _damaged;

    public DiskDistributedCache(string directory, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        Directory = Path.GetFullPath(directory);
        _time = timeProvider ?? TimeProvider.System;
        _log = logger ?? NullLogger.Instance;
    }

    public string Directory { get; }

    /// <summary>Files read back without this layout's mark (damaged or foreign), each a miss.</summary>
    public long Damaged => Interlocked.Read(ref _damaged);

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        var path = PathFor(key);
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        if (bytes.Length < HeaderBytes || !bytes.AsSpan(0, Mark.Length).SequenceEqual(Mark))
        {
            Interlocked.Increment(ref _damaged);
            _log.LogWarning("Cache file {Path} is damaged or foreign (no G3L mark); ignored, the next write replaces it", path);
            return null;
        }
        var expires = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(Mark.Length));
        if (expires != 0 && expires <= _time.GetUtcNow().ToUnixTimeMilliseconds()) return null;
        return bytes[HeaderBytes..];
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        var path = PathFor(key);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        var header = new byte[HeaderBytes];
        Mark.CopyTo(header, 0);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(Mark.Length), ExpiresAt(options)?.ToUnixTimeMilliseconds() ?? 0);
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await stream.WriteAsync(header, token).ConfigureAwait(false);
                await stream.WriteAsync(value, token).ConfigureAwait(false);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public void Refresh(string key) { }

    public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

    public void Remove(string key) => File.Delete(PathFor(key));

    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        File.Delete(PathFor(key));
        return Task.CompletedTask;
    }

    private DateTimeOffset? ExpiresAt(DistributedCacheEntryOptions options) =>
        options.AbsoluteExpiration ?? (options.AbsoluteExpirationRelativeToNow is { } relative ? _time.GetUtcNow() + relative : null);

    /// <summary>Keys may hold any character; the file name is their hash, so no key can name a path.</summary>
    private string PathFor(string key)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return Path.Combine(Directory, hash[..2], hash + ".entry");
    }
}
