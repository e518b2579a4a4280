using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using G3.Alignment.Onnx;
using G3.Core.Errors;
using G3.Core.Geo;

namespace G3.Host.Cli;

/// <summary>
/// Verbs that run a model's encoders from the command line, for checking an exported model by hand:
/// <c>g3 encode-location --manifest models/x/manifest.json 48.8566 2.3522 -33.87 151.21</c>.
/// </summary>
internal static class EncodeCommands
{
    public static Command EncodeLocation()
    {
        var manifest = new Option<FileInfo>("--manifest")
        {
            Description = "The model manifest (JSON beside the ONNX files) whose location model to run.",
            Required = true,
        };
        var provider = new Option<string>("--provider")
        {
            Description = "Execution provider: cpu, cuda, or auto (CUDA when the ONNX Runtime build can use it).",
            DefaultValueFactory = _ => "auto",
        };
        provider.AcceptOnlyFromAmong("cpu", "cuda", "auto");
        var library = new Option<FileInfo?>("--onnxruntime")
        {
            Description = "Path of libonnxruntime; default: the bootstrap's copy under .deps/, then the system's.",
        };
        var coordinates = new Argument<double[]>("lat lon")
        {
            Description = "Latitude and longitude in degrees, one or more pairs.",
            Arity = ArgumentArity.OneOrMore,
        };
        coordinates.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double[]>() is { Length: var n } && n % 2 != 0)
                result.AddError($"coordinates come in pairs (lat lon); {n} numbers were given");
        });

        var command = new Command("encode-location",
            "Encode coordinates with a manifest's location model and print each embedding and the run time.")
        {
            manifest, provider, library, coordinates,
        };
        command.SetAction((parse, ct) => EncodeLocationAsync(
            parse.GetRequiredValue(manifest).FullName,
            new OnnxSessionOptions
            {
                ExecutionProvider = OnnxSessionOptions.ParseProvider(parse.GetValue(provider) ?? "auto"),
                LibraryPath = parse.GetValue(library)?.FullName,
            },
            parse.GetRequiredValue(coordinates),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            ct));
        return command;
    }

    private static async Task<int> EncodeLocationAsync(
        string manifestPath, OnnxSessionOptions options, double[] numbers, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var points = new GeoPoint[numbers.Length / 2];
        for (var i = 0; i < points.Length; i++)
        {
            if (!GeoPoint.TryCreate(numbers[2 * i], numbers[2 * i + 1], out points[i], out var problem))
            {
                await error.WriteLineAsync($"encode-location: pair {i + 1}: {problem}");
                return 2;
            }
        }

        try
        {
            var load = Stopwatch.StartNew();
            using var encoder = OnnxLocationEncoder.Open(manifestPath, options);
            load.Stop();
            await output.WriteLineAsync(
                $"model {encoder.Manifest.Id}: location encoder, {encoder.Projection} projection, dim {encoder.Dimension}; " +
                $"{encoder.Session.ExecutionProviderDescription}; ONNX Runtime {encoder.Session.Runtime.Version}; loaded in {load.Elapsed.TotalMilliseconds:F1} ms");

            var run = Stopwatch.StartNew();
            var embeddings = await encoder.EncodeAsync(points, cancellationToken);
            run.Stop();

            for (var i = 0; i < points.Length; i++)
            {
                var row = embeddings.Row(i).ToArray().Select(v => v.ToString("0.000000", CultureInfo.InvariantCulture));
                await output.WriteLineAsync($"{points[i]}\t[{string.Join(", ", row)}]");
            }
            await output.WriteLineAsync(
                $"encoded {points.Length} point(s) in one batch in {run.Elapsed.TotalMilliseconds:F2} ms");
            return 0;
        }
        catch (G3Exception e)
        {
            await error.WriteLineAsync("encode-location: " + e.Message);
            return 1;
        }
    }
}
