using System.CommandLine;
using G3.Geography;
using G3.Synthetic;
using G3.Synthetic.Describing;

namespace G3.Cli;

/// <summary>
/// <c>g3 describe</c>: writes MP16-Pro-style text descriptions of a synthetic world's photos (database
/// split: the text tower's training data; query split: the held-out text queries). The world itself is
/// only read, so a read-only world can be described into another folder.
/// </summary>
internal static class DescribeCommand
{
    public static Command Create()
    {
        var world = new Option<string>("--world") { Description = "A world written by `g3 synth` (read only).", Required = true };
        var output = new Option<string?>("--out") { Description = "Folder for mp16pro/descriptions.csv and im2gps3k/descriptions.csv (default: the world's own folder)." };
        var geodata = new Option<string?>("--geodata") { Description = "Geography data folder (default: $G3_GEODATA or .deps/geodata)." };
        var command = new Command("describe", "Write text descriptions of a synthetic world's photos (for text queries: training and held-out evaluation).")
        {
            world, output, geodata,
        };
        command.SetAction((parse, ct) =>
        {
            var w = Path.GetFullPath(parse.GetValue(world)!);
            var o = parse.GetValue(output) is { } typed ? Path.GetFullPath(typed) : w;
            return Task.FromResult(Run(w, o, parse.GetValue(geodata), ct));
        });
        return command;
    }

    private static int Run(string world, string output, string? geodata, CancellationToken ct)
    {
        try
        {
            var generator = new SyntheticWorldGenerator(ReverseGeocoder.Load(geodata));
            var summary = WorldDescriptions.Write(generator, world, output, ct);
            Console.WriteLine($"wrote {summary.DatabaseCount} database descriptions to {summary.DatabaseFile} and {summary.QueryCount} query descriptions to {summary.QueryFile}");
            return 0;
        }
        catch (Exception e) when (e is SyntheticWorldException or GeographyDataException or IOException)
        {
            Console.Error.WriteLine("g3 describe: " + e.Message);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("g3 describe: cancelled");
            return ExitCodes.Interrupted;
        }
    }
}
