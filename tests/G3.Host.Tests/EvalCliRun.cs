using System.CommandLine;
using System.Text.Json;
using G3.Cli;

namespace G3.Host.Tests;

/// <summary>
/// What the eval tests share: an experiment file over four of the fixture's photos, and `g3 eval` run in process
/// against the fixture's model and store with an OpenAI-protocol stub named "stub" and an answer cache in the test's folder.
/// </summary>
internal static class EvalCliRun
{
    /// <summary>The dataset every eval test asks: the queries.csv <see cref="WriteExperiment"/> writes, the fixture's images.</summary>
    public static object Dataset => new { kind = "synthetic", metadata = "queries.csv", images = TestPaths.Fixture("images") };

    /// <summary>Writes queries.csv (four fixture photos) and <paramref name="experiment"/> as experiment.json into <paramref name="dir"/>.</summary>
    public static string WriteExperiment(string dir, object experiment)
    {
        File.WriteAllLines(Path.Combine(dir, "queries.csv"),
            new[] { "IMG_ID,LAT,LON" }.Concat(ServiceFixture.Photos.Take(4).Select(p => $"{p.File},{p.Lat},{p.Lon}")));
        var path = Path.Combine(dir, "experiment.json");
        File.WriteAllText(path, JsonSerializer.Serialize(experiment));
        return path;
    }

    /// <summary>
    /// `g3 eval EXPERIMENT --out DIR/run EXTRA… SETTINGS…`, with the fixture's model and store, a read-write cache in
    /// DIR/cache and the stub provider at <paramref name="port"/> reporting <paramref name="model"/>.
    /// </summary>
    public static async Task<(int Exit, string Out, string Err)> RunAsync(ServiceFixture service, string dir, string experiment, int port,
        string model, IEnumerable<string> extra, params string[] settings)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string[] args = ["eval", experiment, "--out", Path.Combine(dir, "run"), .. extra,
            $"--Model:Manifest={service.ManifestPath}", $"--Store:Embedded:Directory={service.StorePath}",
            "--Cache:Mode=ReadWrite", $"--Cache:Directory={Path.Combine(dir, "cache")}",
            "--Lmm:Providers:stub:Kind=openai", $"--Lmm:Providers:stub:Model={model}", $"--Lmm:Providers:stub:Endpoint=http://127.0.0.1:{port}/v1",
            "--Lmm:Providers:stub:ApiKey=test", .. settings];
        var exit = await G3Cli.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
