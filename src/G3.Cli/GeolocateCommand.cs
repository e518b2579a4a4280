using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using G3.Alignment.Models;
using G3.Core.Ports;
using G3.Geography;
using G3.Host.Composition;
using G3.Host.Contracts;
using G3.Host.Conversations;

namespace G3.Cli;

/// <summary>
/// <c>g3 geolocate photo.jpg …</c>: the service's pipeline from the command line, on the same
/// configuration (appsettings.json, G3_ variables, --Section:Key=value). Prints a table, or with
/// <c>--json</c> the full result per photo, as /v1/geolocate returns it. With <c>--same-place</c> the photos (up to 8)
/// are views of one place, geolocated together (<c>--weights</c> weighs them), and the answer says whether they disagree.
/// </summary>
internal static class GeolocateCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("image") { Description = "JPEG, PNG or WebP photos.", Arity = ArgumentArity.ZeroOrMore };
        var text = new Option<string?>("--text") { Description = "Geolocate a description of the place instead of photos (needs a model with a text tower)." };
        var json = new Option<bool>("--json") { Description = "Print the full result (candidates, references, timings) as JSON lines." };
        var provider = new Option<string?>("--provider") { Description = "LMM provider name from Lmm:Providers (default: Lmm:Default)." };
        var samePlace = new Option<bool>("--same-place") { Description = $"The photos (up to {PlaceQuery.MaxImages}) show one place: geolocate them together, as one query." };
        var weights = new Option<string?>("--weights") { Description = "With --same-place: one weight per photo, comma-separated (e.g. 1,1,0.5); default equal." };
        var command = new Command("geolocate", "Geolocate photos with the configured model, store and LMM, and print where they were taken.")
        {
            files, json, provider, samePlace, weights, text,
        };
        command.TreatUnmatchedTokensAsErrors = false; // --Section:Key=value settings pass through
        command.SetAction((parse, ct) =>
        {
            // The image list is open-ended, so it also swallows --Section:Key=value settings; split them back out.
            // It may be empty (--text, or nothing at all): read it as such, not as a required value.
            var given = parse.GetValue(files) ?? [];
            var settings = CommandLineChecks.Settings(parse.UnmatchedTokens.Concat(given.Select(f => f.ToString())));
            var photos = given.Where(f => !CommandLineChecks.IsSetting(f.ToString())).ToArray();
            if (parse.GetValue(text) is { } description)
                return photos.Length > 0 || parse.GetValue(provider) is not null
                    ? UsageAsync(parse, "give photos or --text, not both (a text query asks no LMM, so --provider does not apply either)")
                    : GeolocateTextCommand.RunAsync(description, parse.GetValue(json), settings, parse, ct);
            if (photos.Length == 0)
                return UsageAsync(parse, "give at least one photo, or --text \"a description of the place\"");
            return RunAsync(photos, new Grouping(parse.GetValue(samePlace), parse.GetValue(weights)), parse.GetValue(json), parse.GetValue(provider), settings, parse, ct);
        });
        return command;
    }

    private static async Task<int> UsageAsync(ParseResult parse, string problem)
    {
        await parse.InvocationConfiguration.Error.WriteLineAsync("geolocate: " + problem);
        return ExitCodes.Usage;
    }

    /// <summary>Whether the photos are one place (and their weights, as given), or each its own query.</summary>
    private sealed record Grouping(bool SamePlace, string? Weights);

    private static async Task<int> RunAsync(FileInfo[] files, Grouping grouping, bool json, string? provider, IReadOnlyList<string> settings, ParseResult parse, CancellationToken ct)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        double[]? weights;
        try
        {
            weights = Weights(grouping, files.Length);
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync("geolocate: " + e.Message);
            return ExitCodes.Usage;
        }
        // Every photo must exist before the model loads: a typo in a name is a usage error, not a half-printed table.
        var missing = files.Where(f => !f.Exists).ToList();
        foreach (var file in missing) await error.WriteLineAsync($"geolocate: {file.FullName} does not exist");
        if (missing.Count > 0) return ExitCodes.Usage;

        if (await CliServices.LoadAsync(settings, error, "geolocate") is not { } services)
            return ExitCodes.Failure;

        await using (services)
        {
            var failures = 0;
            var headerWritten = false;
            var options = services.GetRequiredService<RequestDefaults>().Options with { ImageWeights = weights };
            var pipeline = services.GetRequiredService<G3Pipelines>().For(provider);
            var modelId = services.GetRequiredService<ModelManifest>().Id;
            var geocoder = services.GetService<ReverseGeocoder>();
            // One query per photo, or (--same-place) one query of all of them, named by its first photo.
            var queries = grouping.SamePlace ? [files] : files.Select(f => new[] { f }).ToArray();
            foreach (var group in queries)
            {
                var file = group[0];
                try
                {
                    var images = new List<QueryImage>(group.Length);
                    foreach (var f in group) images.Add(new QueryImage(await File.ReadAllBytesAsync(f.FullName, ct)));
                    var result = await pipeline.RunAsync(new PlaceQuery(images), options, cancellationToken: ct);
                    var dto = GeolocationDto.From(result, modelId, geocoder);
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
                        $"{Shorten(group.Length == 1 ? file.Name : $"{file.Name} +{group.Length - 1}", 28),-28} {dto.Latitude,10:0.0000} {dto.Longitude,11:0.0000}  {(dto.Confidence is { } c ? c.ToString("0.00", CultureInfo.InvariantCulture) : "-"),10}  {dto.TimingsMs.Total,7:0.0}  {dto.Place?.Description ?? ""}{OutOfDistributionNote(dto)}{(dto.Degraded ? "  (degraded: " + dto.DegradedReason + ")" : "")}"));
                    // Answers per level on their own line under the photo's row.
                    if (result.Levels is { } levels)
                        await output.WriteLineAsync($"{"",-28} {LevelsLine.Of(levels)}");
                    if (AnswerWriter.Views(result) is { } views)
                        await output.WriteLineAsync("  " + views);
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

    /// <summary>--weights as numbers, one per photo; only with --same-place. Validated again as options by the pipeline.</summary>
    private static double[]? Weights(Grouping grouping, int photos)
    {
        if (grouping.SamePlace && photos > PlaceQuery.MaxImages)
            throw new FormatException($"--same-place takes at most {PlaceQuery.MaxImages} photos of one place, not {photos}");
        if (grouping.Weights is null) return null;
        if (!grouping.SamePlace) throw new FormatException("--weights needs --same-place (weights are for photos geolocated together)");
        var parts = grouping.Weights.Split(',', StringSplitOptions.TrimEntries);
        var weights = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out weights[i]) || !double.IsFinite(weights[i]) || weights[i] < 0)
                throw new FormatException($"--weights: '{parts[i]}' is not a non-negative number");
        if (weights.Length != photos) throw new FormatException($"--weights lists {weights.Length} weights for {photos} photos; give one per photo");
        if (weights.Sum() <= 0) throw new FormatException("--weights must give at least one photo a positive weight");
        return weights;
    }

    /// <summary>The out-of-distribution flag in words, with its score and threshold, when the photo is flagged.</summary>
    private static string OutOfDistributionNote(GeolocationDto dto) => dto.OutOfDistribution is { Flagged: true } o
        ? string.Create(CultureInfo.InvariantCulture, $"  (unlike anything in the reference collection: score {o.Score:0.000} < {o.Threshold:0.000}; the guess is weak)")
        : "";

    private static string Shorten(string s, int max) => s.Length <= max ? s : "…" + s[^(max - 1)..];
}
