using System.CommandLine;
using System.Globalization;
using G3.Geography;
using G3.Host.Composition;
using G3.Synthetic;

namespace G3.Cli;

/// <summary>
/// <c>g3 synth</c>: generates the synthetic MP16-Pro world (database split + IM2GPS3K-style query
/// split of rendered photos at real places), deterministic from the seed; with <c>--multiview N</c> also the multi-view
/// query split (N places, <c>--views</c> photos each), or with <c>--add-multiview</c> only that split, into an existing world.
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
        var multiView = new Option<int>("--multiview") { Description = "Also generate the multi-view query split: this many places (landmarks), several photos each." };
        var views = new Option<int>("--views") { Description = $"Photos per multi-view place (2..{MultiViewOptions.MaxViews}).", DefaultValueFactory = _ => 4 };
        var addMultiView = new Option<bool>("--add-multiview") { Description = "Only add the multi-view split to the existing world at --out (its seed and size from its world.json)." };
        var command = new Command("synth", "Generate the synthetic MP16-Pro world: photos at real places with hierarchical visual cues.")
        {
            seed, database, queries, output, size, geodata, allowOcean, multiView, views, addMultiView,
        };
        command.SetAction((parse, ct) =>
        {
            var target = parse.GetValue(output) is { } typed ? Path.GetFullPath(typed) : G3Paths.Resolve(DefaultOutput);
            var multi = parse.GetValue(multiView) is > 0 or < 0 ? new MultiViewOptions(parse.GetValue(multiView), parse.GetValue(views)) : null;
            if (parse.GetValue(addMultiView))
                return Task.FromResult(AddMultiView(target, multi, parse.GetValue(geodata), ct));
            return Task.FromResult(Run(new SyntheticWorldOptions
            {
                Seed = parse.GetValue(seed),
                DatabaseCount = parse.GetValue(database),
                QueryCount = parse.GetValue(queries),
                ImageSize = parse.GetValue(size),
                AllowOcean = parse.GetValue(allowOcean),
            }, target, parse.GetValue(geodata), multi, ct));
        });
        return command;
    }

    /// <summary>--add-multiview: the split alone, into a world generated earlier, from that world's seed and image size.</summary>
    private static int AddMultiView(string world, MultiViewOptions? options, string? geodata, CancellationToken ct)
    {
        var manifest = Path.Combine(world, SyntheticWorldLayout.ManifestFile);
        if (options is null || !File.Exists(manifest))
        {
            Console.Error.WriteLine(options is null
                ? "g3 synth: --add-multiview needs --multiview N (how many places)"
                : $"g3 synth: --add-multiview needs an existing world at --out; {manifest} does not exist");
            return ExitCodes.Usage;
        }
        try
        {
            options.Validate();
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(manifest));
            var seed = json.RootElement.GetProperty("seed").GetInt64();
            var size = json.RootElement.GetProperty("imageSize").GetInt32();
            return WriteMultiView(world, seed, size, options, geodata, ct);
        }
        catch (Exception e) when (e is SyntheticWorldException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            Console.Error.WriteLine("g3 synth: " + e.Message);
            return ExitCodes.Usage;
        }
    }

    private static int WriteMultiView(string world, long seed, int size, MultiViewOptions options, string? geodata, CancellationToken ct)
    {
        try
        {
            Console.Error.WriteLine("loading geography data…");
            var generator = new SyntheticWorldGenerator(ReverseGeocoder.Load(geodata));
            var total = options.Places * options.Views;
            var bar = new ConsoleProgress("multiview", total);
            var started = System.Diagnostics.Stopwatch.StartNew();
            var places = generator.GenerateMultiView(world, seed, size, options, progress: new Progress<(int Done, int Total)>(p => bar.Report(p.Done)), cancellationToken: ct);
            bar.Complete(total);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {places.Count} multi-view places × {options.Views} photos to {SyntheticWorldLayout.MultiView(world)} in {started.Elapsed.TotalSeconds:0.0} s"));
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
            Console.Error.WriteLine("g3 synth: cancelled; the multi-view split was not written");
            return ExitCodes.Interrupted;
        }
    }

    /// <summary>Where the world goes unless --out says otherwise; relative to the G3 root, not the working directory.</summary>
    internal const string DefaultOutput = "data/mp16pro/generated/world";

    private static int Run(SyntheticWorldOptions options, string output, string? geodata, MultiViewOptions? multiView, CancellationToken ct)
    {
        try
        {
            options.Validate();
            multiView?.Validate();
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
            return multiView is null ? 0 : WriteMultiView(output, options.Seed, options.ImageSize, multiView, geodata, ct);
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
