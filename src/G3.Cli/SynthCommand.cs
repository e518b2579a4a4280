using System.CommandLine;
using System.Globalization;
using G3.Geography;
using G3.Host.Composition;
using G3.Synthetic;

namespace G3.Cli;

/// <summary>
/// <c>g3 synth</c>: generates the synthetic MP16-Pro world (database split + IM2GPS3K-style query
/// split of rendered photos at real places), deterministic from the seed.
/// </summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var seed = new Option<long>("--seed") { Description = "Random seed: the same seed gives the same bytes.", DefaultValueFactory = _ => 1 };
        var database = new Option<int>("--database") { Description = "Photos in the database split (MP16-Pro stand-in).", DefaultValueFactory = _ => 20_000 };
        var queries = new Option<int>("--queries") { Description = "Photos in the held-out query split (IM2GPS3K format).", DefaultValueFactory = _ => 1_000 };
        var output = new Option<string?>("--out") { Description = $"Output folder (must not exist or be empty; default: {DefaultOutput} in the repository root)." };
        var size = new Option<int>("--size") { Description = "Image width and height in pixels.", DefaultValueFactory = _ => 256 };
        var geodata = new Option<string?>("--geodata") { Description = "Geography data folder (default: $G3_GEODATA or .deps/geodata, filled by scripts/bootstrap.sh)." };
        var allowOcean = new Option<bool>("--allow-ocean") { Description = "Also place photos on open water." };
        var command = new Command("synth", "Generate the synthetic MP16-Pro world: photos at real places with hierarchical visual cues.")
        {
            seed, database, queries, output, size, geodata, allowOcean,
        };
        command.SetAction((parse, ct) => Task.FromResult(Run(new SyntheticWorldOptions
        {
            Seed = parse.GetValue(seed),
            DatabaseCount = parse.GetValue(database),
            QueryCount = parse.GetValue(queries),
            ImageSize = parse.GetValue(size),
            AllowOcean = parse.GetValue(allowOcean),
        }, parse.GetValue(output) is { } typed ? Path.GetFullPath(typed) : G3Paths.Resolve(DefaultOutput), parse.GetValue(geodata), ct)));
        return command;
    }

    /// <summary>Where the world goes unless --out says otherwise; relative to the G3 root, not the working directory.</summary>
    internal const string DefaultOutput = "data/mp16pro/generated/world";

    private static int Run(SyntheticWorldOptions options, string output, string? geodata, CancellationToken ct)
    {
        try
        {
            options.Validate();
        }
        catch (SyntheticWorldException e)
        {
            // Counts or sizes out of range: a usage error, nothing written.
            Console.Error.WriteLine("g3 synth: " + e.Message);
            return ExitCodes.Usage;
        }
        try
        {
            Console.Error.WriteLine("loading geography data…");
            var geocoder = ReverseGeocoder.Load(geodata);
            var generator = new SyntheticWorldGenerator(geocoder);
            var total = options.DatabaseCount + options.QueryCount;
            var bar = new ConsoleProgress("synth", total);
            var summary = generator.Generate(output, options, new Progress<(int Done, int Total)>(p => bar.Report(p.Done)), ct);
            bar.Complete(total);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {summary.DatabaseCount} database + {summary.QueryCount} query photos ({summary.ImageBytes / 1e6:0.0} MB of JPEG) to {summary.OutputDirectory} in {summary.Elapsed.TotalSeconds:0.0} s"));
            return 0;
        }
        catch (Exception e) when (e is SyntheticWorldException or GeographyDataException)
        {
            Console.Error.WriteLine();
            Console.Error.WriteLine("g3 synth: " + e.Message);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine();
            Console.Error.WriteLine("g3 synth: cancelled; nothing was written");
            return ExitCodes.Interrupted;
        }
    }
}
