using G3.Cli;
using G3.Host.Composition;
using Microsoft.Extensions.Configuration;

namespace G3.Host.Tests;

/// <summary>
/// Settings from G3_ environment variables: a typo there is refused as on the command line (a section no one knows,
/// a key its section does not have), by the CLI verbs and by <c>g3 serve</c> before the host starts; and a verb
/// configured by the environment alone runs (the README's <c>g3 geolocate --text "…"</c>).
/// </summary>
public sealed class CliEnvironmentTests(BundledTextService bundled) : IClassFixture<BundledTextService>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly string _dir = Directory.CreateTempSubdirectory("g3-cli-env").FullName;

    [Fact]
    public void Unknown_sections_in_environment_variables_are_named_with_the_nearest_known_variable()
    {
        var shipped = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Requests:MaxBodyBytes"] = "1" }).Build();
        var errors = ConfigurationSchema.UnknownEnvironmentSections(
        [
            "G3_Pipline__Verifier", "g3_stroe__kind", "G3_Store__Kind", "G3_Logging__LogLevel__Default", "G3_Requests__MaxBodyBytes",
            "G3_GEODATA", "G3_QDRANT_URL", "PATH", "OTHER_Pipline__Verifier",
        ], shipped);
        Assert.Equal(
        [
            "unknown configuration section 'Pipline' in environment variable G3_Pipline__Verifier (did you mean G3_Pipeline__Verifier?)",
            "unknown configuration section 'stroe' in environment variable g3_stroe__kind (did you mean G3_Store__kind?)",
        ], errors);
    }

    [Theory]
    [InlineData("G3_Pipline__Verifier", "unknown configuration section 'Pipline' in environment variable G3_Pipline__Verifier (did you mean G3_Pipeline__Verifier?)")]
    [InlineData("G3_Pipeline__Selctor", "unknown configuration key 'Pipeline:Selctor' (did you mean 'Pipeline:Selector'?)")]
    public async Task A_verb_refuses_a_mistyped_environment_variable_and_runs_nothing(string variable, string message)
    {
        var photo = TestPaths.Fixture("images", "landscape.jpg");
        var (exit, output, error) = await G3Process.RunAsync(_dir, Timeout, new Dictionary<string, string> { [variable] = "argmax" }, "geolocate", photo);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Theory]
    [InlineData("G3_Pipline__Verifier", "unknown configuration section 'Pipline' in environment variable G3_Pipline__Verifier")]
    [InlineData("G3_Pipeline__Selctor", "unknown configuration key 'Pipeline:Selctor'")]
    public async Task Serve_refuses_a_mistyped_environment_variable_before_the_host_starts(string variable, string message)
    {
        var (exit, output, error) = await G3Process.RunAsync(_dir, Timeout, new Dictionary<string, string> { [variable] = "argmax" },
            "serve", "--urls", "http://127.0.0.1:0", "--FirstStart:BuildEmbeddedStore=false", "--Model:Manifest=absent/manifest.json");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("serve: " + message, error, StringComparison.Ordinal);
        // Nothing listened: the host logs its address once it does.
        Assert.DoesNotContain("Now listening", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Geolocate_text_runs_with_no_setting_on_the_command_line()
    {
        // Configured through the environment alone, so the command line is exactly the README's.
        var yuma = bundled.Photos.Single(p => p.Id == "db_0000006.jpg");
        var environment = new Dictionary<string, string>
        {
            ["G3_Model__Manifest"] = BundledTextService.ManifestPath,
            ["G3_Store__Embedded__Directory"] = bundled.StorePath,
            ["G3_FirstStart__BuildEmbeddedStore"] = "false",
            ["G3_Cache__Mode"] = "Off",
        };
        var (exit, output, error) = await G3Process.RunAsync(_dir, Timeout, environment, "geolocate", "--text", yuma.Description);
        Assert.True(exit == ExitCodes.Ok, error);
        Assert.StartsWith("best: ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dotnet_run_keeps_the_callers_working_directory()
    {
        // `dotnet run --project src/G3.Cli -- geolocate photo.jpg` must find photo.jpg where the user typed it; the Web SDK
        // would otherwise run g3 in the project's folder. MSBuild evaluates the property as `dotnet run` does, from here.
        var (exit, output, error) = await Dotnet(_dir, "msbuild", TestPaths.InRepo("src", "G3.Cli", "G3.Cli.csproj"), "-getProperty:RunWorkingDirectory");
        Assert.True(exit == 0, error);
        Assert.Equal(Path.GetFullPath(_dir), Path.GetFullPath(output.Trim()));
    }

    private static async Task<(int Exit, string Out, string Err)> Dotnet(string workingDirectory, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(Timeout).Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
