using System.CommandLine;
using System.Text.Json;
using G3.Cli;

namespace G3.Host.Tests;

public class GeolocateCommandTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private async Task<(int Exit, string Out, string Err)> Run(params string[] extra)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string[] args = ["geolocate", .. extra, $"--Model:Manifest={service.ManifestPath}", $"--Store:Embedded:Directory={service.StorePath}", "--Cache:Mode=Off"];
        var exit = await G3Cli.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Prints_a_table_row_per_photo_and_reports_bad_ones()
    {
        var (exit, output, error) = await Run(TestPaths.Fixture("images", "lossy.webp"), TestPaths.Fixture("images", "text.txt"));
        Assert.Equal(1, exit);
        Assert.Contains("lossy.webp", output, StringComparison.Ordinal);
        Assert.Contains("text.txt: unsupported image format", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_mode_prints_the_full_result()
    {
        var (exit, output, error) = await Run("--json", TestPaths.Fixture("images", "landscape.jpg"));
        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output.Trim());
        Assert.Equal("g3-test", doc.RootElement.GetProperty("model").GetString());
        Assert.Equal(10, doc.RootElement.GetProperty("candidates").GetArrayLength() + 2); // S = 8 photos in the store < 10
    }

    [Fact]
    public async Task A_missing_model_is_a_clear_error()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await G3Cli.Create().Parse(["geolocate", TestPaths.Fixture("images", "landscape.jpg"), "--Model:Manifest=/nonexistent/manifest.json"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        Assert.Equal(1, exit);
        Assert.Contains("Model:Manifest", error.ToString(), StringComparison.Ordinal);
    }
}
