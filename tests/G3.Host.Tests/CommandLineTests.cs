using System.CommandLine;
using G3.Cli;

namespace G3.Host.Tests;

/// <summary>Typos on the command line are refused by name, with a suggestion, exit code 2, and nothing run.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("g3-cli").FullName;

    internal static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await G3Cli.RunAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_mistyped_verb_is_refused_with_a_suggestion_and_serves_nothing()
    {
        var (exit, output, error) = await Run("geolocat", "x.jpg");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("unknown verb 'geolocat' (did you mean 'geolocate'?)", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Theory]
    [InlineData("--jsn", "--json", "geolocate", "--jsn", "photo.jpg")]
    [InlineData("--limt", "--limit", "eval", "--limt", "5")]
    [InlineData("--manifst", "--manifest", "index", "--manifst", "m.json", "--metadata", "a.csv", "--images", ".")]
    [InlineData("--sed", "--seed", "synth", "--sed", "3")]
    [InlineData("--manfest", "--manifest", "encode-image", "--manfest", "m.json", "x.jpg")]
    [InlineData("--provder", "--provider", "encode-location", "--manifest", "m.json", "--provder", "cpu", "1", "2")]
    [InlineData("--ulrs", "--urls", "serve", "--ulrs", "http://127.0.0.1:1")]
    [InlineData("--ulrs", "--urls", "--ulrs", "http://127.0.0.1:1")]
    public async Task An_unknown_option_of_any_verb_is_named_with_the_nearest_known_one(string typo, string meant, params string[] args)
    {
        var (exit, _, error) = await Run(args);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains(typo, error, StringComparison.Ordinal);
        Assert.Contains(meant, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negative_eval_limit_is_refused()
    {
        var experiment = Path.Combine(_dir, "e.json");
        await File.WriteAllTextAsync(experiment, "{}");
        var (exit, _, error) = await Run("eval", experiment, "--limit", "-3");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--limit must be a positive number of images (got -3)", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(TestPaths.InRepo("runs", "e")));
    }

    [Fact]
    public async Task A_mistyped_configuration_key_on_index_is_refused_and_writes_nothing()
    {
        var csv = Path.Combine(_dir, "meta.csv");
        await File.WriteAllTextAsync(csv, "IMG_ID,LAT,LON\n");
        var target = Path.Combine(_dir, "store");
        var (exit, _, error) = await Run("index", "--manifest", TestPaths.Fixture("onnx", "image-fixture", "manifest.json"),
            "--metadata", csv, "--images", _dir, $"--Store:Embeded:Directory={target}");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("unknown configuration key 'Store:Embeded' (did you mean 'Store:Embedded'?)", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
        Assert.False(File.Exists(Path.Combine(_dir, "index-report.tsv")));
    }

    [Fact]
    public async Task A_mistyped_configuration_section_is_refused()
    {
        var (exit, _, error) = await Run("geolocate", "photo.jpg", "--Stroe:Kind=qdrant");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("unknown configuration section 'Stroe' (did you mean 'Store'?)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_setting_without_its_value_is_explained()
    {
        var (exit, _, error) = await Run("index", "--manifest", "m", "--metadata", "a", "--images", "b", "--Store:Kind", "qdrant");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--Section:Key=value", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_are_refused_by_verbs_that_take_none()
    {
        var (exit, _, error) = await Run("synth", "--Store:Kind=qdrant");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("'synth' takes no configuration settings", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_passes_the_urls_and_settings_to_the_host()
    {
        var parse = G3Cli.Create().Parse(["serve", "--urls", "http://127.0.0.1:5999", "--Pipeline:SamplesPerPrompt=3"]);
        Assert.Empty(parse.Errors);
        Assert.Empty(CommandLineChecks.Find(parse));
        Assert.Equal(["--Pipeline:SamplesPerPrompt=3"], CommandLineChecks.Settings(parse.UnmatchedTokens));
        Assert.Equal("http://127.0.0.1:5999", parse.GetValue<string?>("--urls"));
    }

    [Fact]
    public async Task Help_documents_the_exit_codes()
    {
        var (exit, output, _) = await Run("--help");
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("Exit codes: 0 success; 1 failure", output, StringComparison.Ordinal);
        Assert.Contains("2 usage error", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_a_one_line_error_without_a_stack_trace()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var (exit, output, error) = await G3Process.RunAsync(_dir, TimeSpan.FromSeconds(60),
            "serve", "--urls", $"http://127.0.0.1:{port}", "--FirstStart:BuildEmbeddedStore=false", "--Model:Manifest=absent/manifest.json");
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Equal($"serve: Failed to bind to address http://127.0.0.1:{port}: address already in use.", error.Trim());
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
