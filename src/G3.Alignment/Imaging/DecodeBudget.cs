using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace G3.Alignment.Imaging;

/// <summary>
/// A process-wide bound on the memory that image decoding holds at once: each decode reserves its
/// working bytes (pixels × bytes per pixel) before allocating, and waits, oldest first, while the
/// budget is spent. A small file declaring a huge image (a decompression bomb) therefore costs its
/// full size only a few at a time, whatever the request concurrency. A weighted semaphore, made of
/// <see cref="ConcurrencyLimiter"/> with one permit per 64 KiB.
/// </summary>
public sealed class DecodeBudget : IDisposable
{
    private const long Unit = 64 * 1024;
    private static readonly ConcurrentDictionary<long, DecodeBudget> Shared = new();
    private readonly ConcurrencyLimiter _limiter;
    private readonly int _permits;

    public DecodeBudget(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityBytes, Unit);
        CapacityBytes = capacityBytes;
        _permits = (int)Math.Min(int.MaxValue, capacityBytes / Unit);
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = _permits,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>The budget every decoder with this capacity shares (one per process and capacity).</summary>
    public static DecodeBudget For(long capacityBytes) => Shared.GetOrAdd(capacityBytes, c => new DecodeBudget(c));

    public long CapacityBytes { get; }

    /// <summary>Bytes reserved now (for tests and diagnostics).</summary>
    public long InUseBytes => (_permits - _limiter.GetStatistics()!.CurrentAvailablePermits) * Unit;

    /// <summary>
    /// Reserves <paramref name="bytes"/> (an image larger than the whole budget reserves all of it and
    /// so decodes alone), blocking until they are free. Dispose the lease once the pixels are gone.
    /// </summary>
    public RateLimitLease Acquire(long bytes, CancellationToken cancellationToken = default)
    {
        var permits = (int)Math.Clamp((bytes + Unit - 1) / Unit, 1, _permits);
        var lease = _limiter.AcquireAsync(permits, cancellationToken).AsTask().GetAwaiter().GetResult();
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new InvalidOperationException("the image decode budget refused a reservation it should have queued");
        }
        return lease;
    }

    /// <summary>For budgets made by hand (tests); the shared ones live as long as the process.</summary>
    public void Dispose() => _limiter.Dispose();
}
