using System.IO.MemoryMappedFiles;
using System.Runtime.Intrinsics;

namespace G3.Bench;

/// <summary>
/// The memory-bandwidth floor of a scan: the time to read the same bytes the store scans (its
/// mapped vectors file, so the same page-cache pages) with the same number of threads, each
/// reading one contiguous slice and doing the least work that keeps the loads alive (an add per
/// 32 bytes). A scan cannot beat it; the ratio scan ÷ floor says how much of the time is the scan's own.
/// </summary>
internal sealed unsafe class MemoryFloor : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _start;

    public long Bytes { get; }

    public MemoryFloor(string path, long bytes)
    {
        Bytes = bytes;
        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        _view = _file.CreateViewAccessor(0, bytes, MemoryMappedFileAccess.Read);
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _start = p + _view.PointerOffset;
    }

    /// <summary>Reads every byte once with <paramref name="threads"/> threads; returns milliseconds.</summary>
    public double Measure(int threads)
    {
        var sinks = new ulong[threads];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (threads == 1) sinks[0] = Read(_start, Bytes);
        else
        {
            var slice = (Bytes / threads + 63) / 64 * 64;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                var from = t * slice;
                var length = Math.Max(0, Math.Min(Bytes, from + slice) - from);
                sinks[t] = Read(_start + from, length);
            });
        }
        var ms = clock.Elapsed.TotalMilliseconds;
        if (sinks.Sum(s => (double)s) == 42) Console.Error.Write(""); // keep the sums observable
        return ms;
    }

    private static ulong Read(byte* p, long length)
    {
        var acc0 = Vector256<ulong>.Zero;
        var acc1 = Vector256<ulong>.Zero;
        long i = 0;
        for (; i + 64 <= length; i += 64)
        {
            acc0 += Vector256.Load((ulong*)(p + i));
            acc1 += Vector256.Load((ulong*)(p + i + 32));
        }
        ulong tail = 0;
        for (; i < length; i++) tail += p[i];
        return Vector256.Sum(acc0 + acc1) + tail;
    }

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
