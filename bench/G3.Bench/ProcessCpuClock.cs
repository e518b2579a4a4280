using System.Runtime.InteropServices;

namespace G3.Bench;

/// <summary>
/// The process's CPU time (clock_gettime(CLOCK_PROCESS_CPUTIME_ID), nanosecond resolution, all
/// threads). On a shared machine a pass's wall time is mostly time spent waiting for a core (with 25+
/// runnable threads on 2 cores, a 25 ms read takes over a second); CPU time leaves that wait out, so
/// a scan's CPU time against the floor's CPU time still compares the two when wall times cannot.
/// NaN where the clock cannot be read.
/// </summary>
internal static unsafe partial class ProcessCpuClock
{
    private const int ClockProcessCpuTimeId = 2;

    public static double NowMs()
    {
        if (!OperatingSystem.IsLinux()) return double.NaN;
        Timespec ts;
        return ClockGetTime(ClockProcessCpuTimeId, &ts) == 0 ? ts.Seconds * 1000.0 + ts.Nanoseconds / 1e6 : double.NaN;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, Timespec* time);
}
