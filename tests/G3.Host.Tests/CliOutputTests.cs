using G3.Host.Hosting;
using G3.Cli;

namespace G3.Host.Tests;

/// <summary>What the CLI prints: progress with its total and ETA, no provider notice naming a library, no orphan table header.</summary>
public class CliOutputTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Fact]
    public void Progress_lines_for_logs_carry_the_total_and_the_eta()
    {
        // 1200 of 20000 in 10 s: 120/s, 18800 left → 156.7 s → 02:36.
        Assert.Equal("1200/20000 photos (6.0%), 120.0/s, ETA 02:36", ProgressLine.Summary(1200, 20000, TimeSpan.FromSeconds(10), "photos"));
        Assert.Equal("0/20000 photos (0.0%), 0.0/s, ETA --:--", ProgressLine.Summary(0, 20000, TimeSpan.Zero, "photos"));
    }

    [Fact]
    public async Task A_plain_cpu_run_prints_no_library_path()
    {
        var manifest = TestPaths.Fixture("onnx", "location-fixture", "manifest.mercator.json");
        var (exit, output, error) = await CommandLineTests.Run("encode-location", "--manifest", manifest, "48.85", "2.35");
        Assert.True(exit == 0, error);
        Assert.Contains("CPU", output, StringComparison.Ordinal);
        Assert.DoesNotContain("libonnxruntime", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_table_header_is_printed_when_every_photo_fails()
    {
        var (exit, output, error) = await CommandLineTests.Run("geolocate", TestPaths.Fixture("images", "text.txt"),
            $"--Model:Manifest={service.ManifestPath}", $"--Store:Embedded:Directory={service.StorePath}", "--Cache:Mode=Off");
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("text.txt: unsupported image format", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Fact]
    public async Task A_missing_photo_is_a_usage_error_before_any_model_loads()
    {
        var (exit, output, error) = await CommandLineTests.Run("geolocate", "/nonexistent/photo.jpg", "--Model:Manifest=/nonexistent/manifest.json");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("/nonexistent/photo.jpg does not exist", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Model:Manifest", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }
}
