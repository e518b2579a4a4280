using G3.Cli;

namespace G3.Host.Tests;

public class ConsoleProgressTests
{
    [Fact]
    public void Shows_fraction_rate_and_eta()
    {
        var line = new ConsoleProgress("index", 1000, TextWriter.Null).Format(250, TimeSpan.FromSeconds(10), "3 failed");
        Assert.Contains("[######..................]  25.0% 250/1000", line, StringComparison.Ordinal);
        Assert.Contains("25.0/s ETA 00:30", line, StringComparison.Ordinal);
        Assert.Contains("elapsed 00:10", line, StringComparison.Ordinal);
        Assert.EndsWith("3 failed", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rate_near_zero_shows_no_eta_instead_of_overflowing()
    {
        var line = new ConsoleProgress("x", 5_000_000, TextWriter.Null).Format(1, TimeSpan.FromHours(20), null);
        Assert.Contains("ETA --:--", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_total_shows_count_and_rate()
    {
        var line = new ConsoleProgress("scan", null, TextWriter.Null).Format(42, TimeSpan.FromSeconds(2), null);
        Assert.Contains("42 done 21.0/s", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Redirected_output_gets_whole_lines()
    {
        var sw = new StringWriter();
        var progress = new ConsoleProgress("x", 10, sw);
        progress.Report(1, force: true);
        progress.Complete(10);
        var lines = sw.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("10/10", lines[1], StringComparison.Ordinal);
    }
}
