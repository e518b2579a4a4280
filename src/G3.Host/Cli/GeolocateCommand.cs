using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using G3.Core.Ports;
using G3.Host.Apis;
using G3.Host.Composition;

namespace G3.Host.Cli;

/// <summary>
/// <c>g3 geolocate photo.jpg …</c>: the service's pipeline from the command line, on the same
/// configuration (appsettings.json, G3_ variables, --Section:Key=value). Prints a table, or with
/// <c>--json</c> the full result per photo, as /v1/geolocate returns it.
/// </summary>
internal static class GeolocateCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("image") { Description = "JPEG, PNG or WebP photos.", Arity = ArgumentArity.ZeroOrMore };
        var text = new Option<string?>("--text") { Description = "Geolocate a description of the place instead of photos (needs a model with a text tower)." };
        var json = new Option<bool>("--json") { Description = "Print the full result (candidates, references, timings) as JSON lines." };
        var provider = new Option<string?>("--provider") { Description = "LMM provider name from Lmm:Providers (default: Lmm:Default)." };
        var command = new Command("geolocate", "Geolocate photos with the configured model, store and LMM, and print where they were taken.")
        {
            files, json, provider, text,
        };
        command.TreatUnmatchedTokensAsErrors = false; // --Section:Key=value settings pass through
        command.SetAction((parse, ct) =>
        {
            // The image list is open-ended, so it also swallows --Section:Key=value settings; split them back out.
            var given = parse.GetRequiredValue(files);
            var settings = CommandLineChecks.Settings(parse.UnmatchedTokens.Concat(given.Select(f => f.ToString())));
            var photos = given.Where(f => !CommandLineChecks.IsSetting(f.ToString())).ToArray();
            if (parse.GetValue(text) is { } description)
                return photos.Length > 0 || parse.GetValue(provider) is not null
                    ? UsageAsync(parse, "give photos or --text, not both (a text query asks no LMM, so --provider does not apply either)")
                    : GeolocateTextCommand.RunAsync(description, parse.GetValue(json), settings, parse, ct);
            if (photos.Length == 0)
                return UsageAsync(parse, "give at least one photo, or --text \"a description of the place\"");
            return RunAsync(photos, parse.GetValue(json), parse.GetValue(provider), settings, parse, ct);
        });
        return command;
    }

    private static async Task<int> UsageAsync(ParseResult parse, string problem)
    {
        await parse.InvocationConfiguration.Error.WriteLineAsync("geolocate: " + problem);
        return ExitCodes.Usage;
    }

    private static async Task<int> RunAsync(FileInfo[] files, bool json, string? provider, IReadOnlyList<string> settings, ParseResult parse, CancellationToken ct)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        // Every photo must exist before the model loads: a typo in a name is a usage error, not a half-printed table.
        var missing = files.Where(f => !f.Exists).ToList();
        foreach (var file in missing) await error.WriteLineAsync($"geolocate: {file.FullName} does not exist");
        if (missing.Count > 0) return ExitCodes.Usage;

        G3Runtime runtime;
        try
        {
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
            runtime = RuntimeFactory.Create(CliConfiguration.Build(settings), loggers);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await error.WriteLineAsync("geolocate: " + e.Message);
            return ExitCodes.Failure;
        }

        using (runtime)
        {
            var failures = 0;
            var headerWritten = false;
            foreach (var file in files)
            {
                try
                {
                    var image = new QueryImage(await File.ReadAllBytesAsync(file.FullName, ct));
                    var result = await runtime.PipelineFor(provider).RunAsync(image, runtime.Defaults, cancellationToken: ct);
                    var dto = GeolocationDto.From(result, runtime.ModelId, runtime.Geocoder);
                    if (json)
                    {
                        await output.WriteLineAsync(JsonSerializer.Serialize(dto, ApiJson.Options));
                        continue;
                    }
                    // The table's header comes with its first row, so a run whose photos all fail prints no empty table.
                    if (!headerWritten)
                    {
                        await output.WriteLineAsync($"{"photo",-28} {"latitude",10} {"longitude",11}  {"confidence",10}  {"ms",7}  place");
                        headerWritten = true;
                    }
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{Shorten(file.Name, 28),-28} {dto.Latitude,10:0.0000} {dto.Longitude,11:0.0000}  {(dto.Confidence is { } c ? c.ToString("0.00", CultureInfo.InvariantCulture) : "-"),10}  {dto.TimingsMs.Total,7:0.0}  {dto.Place?.Description ?? ""}{OutOfDistributionNote(dto)}{(dto.Degraded ? "  (degraded: " + dto.DegradedReason + ")" : "")}"));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failures++;
                    await error.WriteLineAsync($"geolocate: {file.Name}: {e.Message}");
                }
            }
            return failures == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        }
    }

    /// <summary>The out-of-distribution flag in words, with its score and threshold, when the photo is flagged.</summary>
    private static string OutOfDistributionNote(GeolocationDto dto) => dto.OutOfDistribution is { Flagged: true } o
        ? string.Create(CultureInfo.InvariantCulture, $"  (unlike anything in the reference collection: score {o.Score:0.000} < {o.Threshold:0.000}; the guess is weak)")
        : "";

    private static string Shorten(string s, int max) => s.Length <= max ? s : "…" + s[^(max - 1)..];
}
