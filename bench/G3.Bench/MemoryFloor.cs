using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace G3.Bench;

/// <summary>
/// The memory-bandwidth floor of a scan: the time to read the same bytes the store scans (its
/// mapped vectors file, so the same page-cache pages) with the same number of threads, each
/// reading one contiguous slice and doing the least work that keeps the loads alive (an add per
/// 64 bytes, in the widest vectors the machine accelerates). A scan cannot beat it; the ratio
/// scan ÷ floor says how much of the time is the scan's own.
/// A floor is only a memory floor while the file is in the page cache: a page that is not resident
/// is read from disk on touch, and the "floor" becomes the disk's speed (about 1.8 GB/s here).
/// <see cref="EnsureResident"/> asks the kernel for the pages and reads them before a run, and
/// <see cref="ResidentFraction"/> (mincore) lets every run record how much of the file stayed
/// resident, so a figure taken under memory pressure shows it.
/// </summary>
internal sealed unsafe partial class MemoryFloor : IDisposable
{
    private const int MadvWillNeed = 3;
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _start;

    public long Bytes { get; }

    /// <summary>The mapped file's first byte (the store's own mapping sees the same page-cache pages).</summary>
    public byte* Pointer => _start;

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

    /// <summary>
    /// madvise(WILLNEED) then up to three full reads, until at least <paramref name="target"/> of the
    /// pages are resident; returns the fraction resident at the end.
    /// </summary>
    public double EnsureResident(double target = 0.999)
    {
        var (aligned, length) = PageSpan();
        if (OperatingSystem.IsLinux()) _ = Madvise(aligned, length, MadvWillNeed);
        var fraction = ResidentFraction();
        for (var pass = 0; pass < 3 && fraction < target; pass++)
        {
            Measure(1);
            fraction = ResidentFraction();
        }
        return fraction;
    }

    /// <summary>The fraction of the file's pages in memory now (mincore); NaN where that cannot be asked.</summary>
    public double ResidentFraction()
    {
        if (!OperatingSystem.IsLinux()) return double.NaN;
        var (aligned, length) = PageSpan();
        var pages = ((long)length + Environment.SystemPageSize - 1) / Environment.SystemPageSize;
        var vector = new byte[pages];
        fixed (byte* v = vector)
            if (Mincore(aligned, length, v) != 0) return double.NaN;
        long resident = 0;
        foreach (var b in vector) resident += b & 1;
        return Math.Round(resident / (double)pages, 4);
    }

    private (nint Address, nuint Length) PageSpan()
    {
        var page = Environment.SystemPageSize;
        var address = (nint)_start & ~(nint)(page - 1);
        return (address, (nuint)((nint)_start - address + Bytes));
    }

    private static ulong Read(byte* p, long length)
    {
        long i = 0;
        ulong head;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<ulong> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i + 256 <= length; i += 256)
            {
                a0 += Vector512.Load((ulong*)(p + i));
                a1 += Vector512.Load((ulong*)(p + i + 64));
                a2 += Vector512.Load((ulong*)(p + i + 128));
                a3 += Vector512.Load((ulong*)(p + i + 192));
            }
            head = Vector512.Sum((a0 + a1) + (a2 + a3));
        }
        else
        {
            Vector256<ulong> a0 = default, a1 = default;
            for (; i + 64 <= length; i += 64)
            {
                a0 += Vector256.Load((ulong*)(p + i));
                a1 += Vector256.Load((ulong*)(p + i + 32));
            }
            head = Vector256.Sum(a0 + a1);
        }
        ulong tail = 0;
        for (; i < length; i++) tail += p[i];
        return head + tail;
    }

    /// <summary>
    /// posix_fadvise(DONTNEED) over a whole file: the kernel drops its clean cached pages, so a file
    /// the bench no longer reads stops competing for the page cache with the one it measures.
    /// </summary>
    public static void DropFromPageCache(string path)
    {
        if (!OperatingSystem.IsLinux()) return;
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        _ = Fadvise(handle.DangerousGetHandle().ToInt32(), 0, 0, FadvDontNeed);
    }

    private const int FadvDontNeed = 4;

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int Fadvise(int fd, long offset, long length, int advice);

    [LibraryImport("libc", EntryPoint = "mincore", SetLastError = true)]
    private static partial int Mincore(nint address, nuint length, byte* vector);

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
