using System.Globalization;

namespace G3.Host.Hosting;

/// <summary>Progress of long work as one line of text, for the service's log and /readyz, and the CLI's progress bar.</summary>
public static class ProgressLine
{
    /// <summary>
    /// One line for logs: "1200/20000 photos (6.0%), 55.1/s, ETA 05:05". The rate counts only <paramref name="done"/>
    /// in <paramref name="elapsed"/>, so the ETA is what is left at that rate.
    /// </summary>
    public static string Summary(long done, long total, TimeSpan elapsed, string unit)
    {
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        var seconds = rate > 0 ? Math.Max(0, total - done) / rate : double.PositiveInfinity;
        var eta = seconds < TimeSpan.FromDays(100).TotalSeconds ? Clock(TimeSpan.FromSeconds(seconds)) : "--:--";
        var percent = total > 0 ? Math.Clamp(100.0 * done / total, 0, 100) : 0;
        return string.Create(CultureInfo.InvariantCulture, $"{done}/{total} {unit} ({percent:0.0}%), {rate:0.0}/s, ETA {eta}");
    }

    /// <summary>A duration as mm:ss, or h:mm:ss from an hour on.</summary>
    public static string Clock(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes:00}:{t.Seconds:00}");
}
