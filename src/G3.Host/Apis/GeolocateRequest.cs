using System.Text.Json;
using G3.Core.Candidates;
using G3.Core.Options;

namespace G3.Host.Apis;

/// <summary>
/// JSON body of POST /v1/geolocate: the image as base64 (or a data URL), an optional provider name, and
/// optional overrides of the service's default G3 options; or, for a text query, "text" (a description of
/// the place) alone. Unknown fields are refused.
/// </summary>
internal sealed record GeolocateRequest(string? Image, string? Provider, G3OptionsOverrides? G3, string? Text = null)
{
    private static readonly string[] Known = ["image", "provider", "g3", "text"];

    public static GeolocateRequest Read(JsonElement body)
    {
        JsonFields.RefuseUnknownKeys(body, Known, "");
        return new GeolocateRequest(
            JsonFields.OptionalString(body, "image", "image"),
            JsonFields.OptionalString(body, "provider", "provider"),
            JsonFields.Optional(body, "g3") is { } g3 ? G3OptionsJson.Read(g3, "g3") : null,
            JsonFields.OptionalString(body, "text", "text"));
    }
}

/// <summary>Reads a request's "g3" object into <see cref="G3OptionsOverrides"/> with field-named errors.</summary>
internal static class G3OptionsJson
{
    /// <summary>The option names as clients write them (snake_case), from the API's own JSON contract.</summary>
    private static readonly string[] Known = ApiJson.Options.GetTypeInfo(typeof(G3OptionsOverrides)).Properties.Select(p => p.Name).ToArray();

    /// <summary>Reads the "g3" object: unknown keys (a camelCase typo, say) and wrong types are refused, naming the field.</summary>
    public static G3OptionsOverrides Read(JsonElement g3, string param)
    {
        if (g3.ValueKind != JsonValueKind.Object)
            throw new ApiRequestException($"'{param}' must be an object of options, not {JsonFields.Kind(g3)}", param);
        JsonFields.RefuseUnknownKeys(g3, Known, param);
        try
        {
            return g3.Deserialize<G3OptionsOverrides>(ApiJson.Options)!;
        }
        catch (JsonException e)
        {
            // The serializer's message names .NET types; the client needs the field instead.
            var field = e.Path is { Length: > 2 } path ? param + path[1..] : param;
            throw new ApiRequestException($"'{field}' has the wrong type or an invalid value", field);
        }
        catch (InvalidOperationException)
        {
            throw new ApiRequestException($"'{param}' holds text that is not valid UTF-8", param);
        }
    }
}
