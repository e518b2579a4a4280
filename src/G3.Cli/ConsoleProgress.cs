using System.Diagnostics;
using System.Globalization;
using G3.Host.Hosting;

namespace G3.Cli;

/// <summary>
/// A progress bar with rate and ETA for long CLI work, on stderr so stdout stays clean for results.
/// On a terminal it redraws one line; when stderr is redirected (CI, logs) it prints a line at most
/// every few seconds instead.
/// </summary>
internal sealed class ConsoleProgress(string label, long? total, TextWriter? writer = null)
{
    private static readonly TimeSpan RedirectedInterval = TimeSpan.FromSeconds(5);
    private readonly TextWriter _out = writer ?? Console.Error;
    private readonly bool _interactive = writer is null && !Console.IsErrorRedirected;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private TimeSpan _lastDraw = TimeSpan.FromDays(-1); // "long ago", without overflowing the subtraction

    /// <summary>Reports <paramref name="done"/> units finished; <paramref name="note"/> is appended (e.g. "3 failed").</summary>
    public void Report(long done, string? note = null, bool force = false)
    {
        lock (_gate)
        {
            var now = _clock.Elapsed;
            var interval = _interactive ? TimeSpan.FromMilliseconds(100) : RedirectedInterval;
            if (!force && now - _lastDraw < interval) return;
            _lastDraw = now;
            var line = Format(done, now, note);
            if (_interactive) _out.Write("\r" + line.PadRight(Math.Max(0, SafeWidth() - 1)));
            else _out.WriteLine(line);
        }
    }

    /// <summary>Draws the final state and ends the line.</summary>
    public void Complete(long done, string? note = null)
    {
        Report(done, note, force: true);
        if (_interactive) _out.WriteLine();
    }

    internal string Format(long done, TimeSpan elapsed, string? note)
    {
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        var parts = new List<string> { label };
        if (total is > 0 and var t)
        {
            var fraction = Math.Clamp((double)done / t, 0, 1);
            const int width = 24;
            var filled = (int)Math.Round(fraction * width);
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"[{new string('#', filled)}{new string('.', width - filled)}] {fraction * 100,5:0.0}% {done}/{t}"));
            // A rate near zero (just started) gives no meaningful ETA.
            var seconds = rate > 0 ? Math.Max(0, t - done) / rate : double.PositiveInfinity;
            var eta = seconds < TimeSpan.FromDays(100).TotalSeconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{rate:0.0}/s ETA {(eta is { } e ? ProgressLine.Clock(e) : "--:--")}"));
        }
        else
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{done} done {rate:0.0}/s"));
        }
        parts.Add("elapsed " + ProgressLine.Clock(elapsed));
        if (!string.IsNullOrEmpty(note)) parts.Add(note);
        return string.Join("  ", parts);
    }

    private static int SafeWidth()
    {
        try { return Console.WindowWidth > 0 ? Console.WindowWidth : 100; }
        catch (IOException) { return 100; }
    }
}
