using System.Globalization;

namespace G3.GpuCheck;

/// <summary>The command line of <c>gpu-check</c>; every option has a default that suits the bundle's layout.</summary>
internal sealed record CheckOptions
{
    public const string Usage =
        "gpu-check [--model models/g3-mini/manifest.json] [--vitl vitl14/manifest.json] [--batches 1,32,128] " +
        "[--seconds 3] [--images DIR] [--out gpu-check.json]";

    /// <summary>The bundled model: agreement and throughput on the CPU and CUDA.</summary>
    public string Model { get; init; } = Path.Combine("models", "g3-mini", "manifest.json");

    /// <summary>A ViT-L/14-sized export (tools/export/export_checkpoint.py random --vit l14); measured when present.</summary>
    public string Vitl { get; init; } = Path.Combine("vitl14", "manifest.json");

    public IReadOnlyList<int> Batches { get; init; } = [1, 32, 128];

    /// <summary>Seconds of timed runs per throughput cell (at least 3 runs each).</summary>
    public double Seconds { get; init; } = 3;

    /// <summary>A folder of .jpg files for the end-to-end rate (read + decode + preprocess + encode); none: not measured.</summary>
    public string? Images { get; init; }

    public string Out { get; init; } = "gpu-check.json";

    /// <summary>Parses the arguments; an unknown option, a missing value or a bad number throws <see cref="ArgumentException"/>.</summary>
    public static CheckOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CheckOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count || !name.StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"'{name}' is not an option with a value; usage: {Usage}");
            var value = args[++i];
            options = name switch
            {
                "--model" => options with { Model = value },
                "--vitl" => options with { Vitl = value },
                "--batches" => options with { Batches = ParseBatches(value) },
                "--seconds" => options with { Seconds = Positive(value, name) },
                "--images" => options with { Images = value },
                "--out" => options with { Out = value },
                _ => throw new ArgumentException($"unknown option '{name}'; usage: {Usage}"),
            };
        }
        return options;
    }

    private static int[] ParseBatches(string value)
    {
        var batches = value.Split(',', StringSplitOptions.TrimEntries);
        return [.. batches.Select(b => int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n : throw new ArgumentException($"--batches takes positive whole numbers separated by commas, not '{value}'"))];
    }

    private static double Positive(string value, string name) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && double.IsFinite(v)
            ? v : throw new ArgumentException($"{name} takes a positive number, not '{value}'");
}
