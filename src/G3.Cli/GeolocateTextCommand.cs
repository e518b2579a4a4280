using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using G3.Host.Apis;
using G3.Host.Composition;
using G3.Host.Contracts;

namespace G3.Cli;

/// <summary>
/// <c>g3 geolocate --text "…"</c>: a text query from the command line, on the service's configuration:
/// the most likely places with their probabilities, or with <c>--json</c> the full answer as
/// /v1/geolocate returns it for {"text"}.
/// </summary>
internal static class GeolocateTextCommand
{
    public static async Task<int> RunAsync(string text, bool json, IReadOnlyList<string> settings, ParseResult parse, CancellationToken ct)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        if (await CliServices.LoadAsync(settings, error, "geolocate") is not { } services)
            return ExitCodes.Failure;
        await using (services)
        {
            TextGeolocationDto dto;
            try
            {
                dto = await ActivatorUtilities.CreateInstance<TextQueries>(services).RunAsync(text, "--text", ct);
            }
            catch (ApiRequestException e)
            {
                // Empty or too long: a usage error; a model without a text tower: it cannot answer.
                await error.WriteLineAsync("geolocate: " + e.Message);
                return e.Status == StatusCodes.Status400BadRequest ? ExitCodes.Usage : ExitCodes.Failure;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await error.WriteLineAsync("geolocate: " + e.Message);
                return ExitCodes.Failure;
            }
            if (json)
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(dto, ApiJson.Options));
                return ExitCodes.Ok;
            }
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"best: {dto.Latitude:0.0000}, {dto.Longitude:0.0000}  {dto.Place?.Description ?? ""}  ({dto.TimingsMs.Total:0.0} ms)"));
            await output.WriteLineAsync($"{"probability",11}  {"latitude",10} {"longitude",11}  place");
            foreach (var p in dto.Places)
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{p.Probability,11:0.000}  {p.Latitude,10:0.0000} {p.Longitude,11:0.0000}  {p.Description ?? "-"}"));
            if (dto.TruncatedTokens > 0)
                await error.WriteLineAsync($"geolocate: note: the text was cut to the model's context ({dto.TruncatedTokens} tokens left out)");
            return ExitCodes.Ok;
        }
    }
}
