using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using G3.Alignment.Encoders;
using G3.Alignment.Onnx;
using G3.Core.Ports;
using G3.Core.Errors;
using G3.Core.Geo;

namespace G3.Cli;

/// <summary>
/// Verbs that run a model's encoders from the command line, for checking an exported model by hand:
/// <c>g3 encode-location --manifest models/x/manifest.json 48.8566 2.3522 -33.87 151.21</c>.
/// </summary>
internal static class EncodeCommands
{
    /// <summary>The options every model-running verb shares: which manifest, which execution provider, which CUDA device.</summary>
    internal sealed record ModelOptions(Option<FileInfo> Manifest, Option<string> Provider, Option<int> Device)
    {
        public static ModelOptions Create(string whichModel)
        {
            var manifest = new Option<FileInfo>("--manifest")
            {
                Description = $"The model manifest (JSON beside the ONNX files) whose {whichModel} to run.",
                Required = true,
            };
            var provider = new Option<string>("--provider")
            {
                Description = "Execution provider: cpu, cuda, or auto (CUDA when the ONNX Runtime build and the machine can use it).",
                DefaultValueFactory = _ => "auto",
            };
            provider.AcceptOnlyFromAmong("cpu", "cuda", "auto");
            var device = new Option<int>("--device")
            {
                Description = "CUDA device ordinal when the CUDA provider runs (TF32 stays as the manifest allows: off unless it says \"allowTf32\").",
                DefaultValueFactory = _ => 0,
            };
            device.Check(n => n < 0 ? "--device must be 0 or positive" : null);
            return new ModelOptions(manifest, provider, device);
        }

        public OnnxSessionOptions SessionOptions(ParseResult parse) => new()
        {
            ExecutionProvider = OnnxSessionOptions.ParseProvider(parse.GetValue(Provider) ?? "auto"),
            CudaDeviceId = parse.GetValue(Device),
        };

        public void AddTo(Command command)
        {
            command.Options.Add(Manifest);
            command.Options.Add(Provider);
            command.Options.Add(Device);
        }
    }

    public static Command EncodeLocation()
    {
        var model = ModelOptions.Create("location model");
        var coordinates = new Argument<double[]>("lat lon")
        {
            Description = "Latitude and longitude in degrees, one or more pairs.",
            Arity = ArgumentArity.OneOrMore,
        };
        coordinates.Check(numbers => numbers is { Length: var n } && n % 2 != 0 ? $"coordinates come in pairs (lat lon); {n} numbers were given" : null);

        var command = new Command("encode-location",
            "Encode coordinates with a manifest's location model and print each embedding and the run time.")
        {
            coordinates,
        };
        model.AddTo(command);
        command.SetAction((parse, ct) => EncodeLocationAsync(
            parse.GetRequiredValue(model.Manifest).FullName,
            model.SessionOptions(parse),
            parse.GetRequiredValue(coordinates),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            ct));
        return command;
    }

    public static Command EncodeImage()
    {
        var model = ModelOptions.Create("image model");
        var files = new Argument<FileInfo[]>("image") { Description = "JPEG, PNG or WebP files.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("encode-image",
            "Encode photos with a manifest's image model (decode, CLIP preprocessing, one batched run) and print both embeddings and timings.")
        {
            files,
        };
        model.AddTo(command);
        command.SetAction((parse, ct) => EncodeImageAsync(
            parse.GetRequiredValue(model.Manifest).FullName, model.SessionOptions(parse), parse.GetRequiredValue(files),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct));
        return command;
    }

    private static async Task<int> EncodeImageAsync(
        string manifestPath, OnnxSessionOptions options, FileInfo[] files, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            var load = Stopwatch.StartNew();
            using var encoder = ImageEncoder.Open(manifestPath, options);
            load.Stop();
            await output.WriteLineAsync(
                $"model {encoder.Model.Manifest.Id}: image encoder {encoder.Model.Spec.Height}×{encoder.Model.Spec.Width}; " +
                $"{encoder.Model.Session.ExecutionProvider}; loaded in {load.Elapsed.TotalMilliseconds:F1} ms");
            var images = new List<QueryImage>();
            foreach (var file in files)
            {
                if (!file.Exists)
                {
                    await error.WriteLineAsync($"encode-image: {file.FullName} does not exist");
                    return 2;
                }
                images.Add(new QueryImage(await File.ReadAllBytesAsync(file.FullName, cancellationToken)));
            }
            var run = Stopwatch.StartNew();
            var embeddings = await encoder.EncodeBatchAsync(images, cancellationToken);
            run.Stop();
            for (var i = 0; i < files.Length; i++)
            {
                await output.WriteLineAsync($"{files[i].Name}\tretrieval\t[{Format(embeddings[i].Retrieval)}]");
                await output.WriteLineAsync($"{files[i].Name}\tgps\t[{Format(embeddings[i].Gps)}]");
            }
            await output.WriteLineAsync($"encoded {files.Length} image(s) (decode + preprocess + one model run) in {run.Elapsed.TotalMilliseconds:F2} ms");
            return 0;
        }
        catch (G3Exception e)
        {
            await error.WriteLineAsync("encode-image: " + e.Message);
            return 1;
        }
    }

    private static string Format(float[] values) =>
        string.Join(", ", values.Select(v => v.ToString("0.000000", CultureInfo.InvariantCulture)));

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
                $"{encoder.Session.ExecutionProvider}; ONNX Runtime {OnnxRuntimeBuild.Version}; loaded in {load.Elapsed.TotalMilliseconds:F1} ms");

            var run = Stopwatch.StartNew();
            var embeddings = await encoder.EncodeAsync(points, cancellationToken);
            run.Stop();

            for (var i = 0; i < points.Length; i++)
            {
                await output.WriteLineAsync($"{points[i]}\t[{Format(embeddings.Row(i).ToArray())}]");
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
