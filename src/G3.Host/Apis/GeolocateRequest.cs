using System.Text.Json;
using G3.Core.Candidates;
using G3.Core.Options;
using G3.Host.Contracts;

namespace G3.Host.Apis;

/// <summary>
/// JSON body of POST /v1/geolocate: the image as base64 (or a data URL, or an http(s) URL), or "images": a list of
/// 1..8 of them (photos of one place); an optional provider name, and optional overrides of the service's default G3
/// options ("image_weights" among them); or, for a text query, "text" (a description of the place) alone. Unknown
/// fields are refused.
/// </summary>
internal sealed record GeolocateRequest(string? Image, string? Provider, G3OptionsOverrides? G3, IReadOnlyList<string>? Images = null, string? Text = null)
{
    private const int MaxImages = global::G3.Core.Ports.PlaceQuery.MaxImages;
    private static readonly string[] Known = ["image", "images", "provider", "g3", "text"];

    public static GeolocateRequest Read(JsonElement body)
    {
        JsonFields.RefuseUnknownKeys(body, Known, "");
        return new GeolocateRequest(
            JsonFields.OptionalString(body, "image", "image"),
            JsonFields.OptionalString(body, "provider", "provider"),
            JsonFields.Optional(body, "g3") is { } g3 ? G3OptionsJson.Read(g3, "g3") : null,
            ReadImages(body),
            JsonFields.OptionalString(body, "text", "text"));
    }

    private static List<string>? ReadImages(JsonElement body)
    {
        if (JsonFields.Optional(body, "images") is not { } images) return null;
        if (images.ValueKind != JsonValueKind.Array)
            throw new ApiRequestException($"'images' must be an array of images (base64, data URLs or http(s) URLs), not {JsonFields.Kind(images)}", "images");
        var count = images.GetArrayLength();
        if (count == 0)
            throw new ApiRequestException("'images' is empty; send 1 to " + MaxImages + " photos of one place", "images");
        if (count > MaxImages)
            throw new ApiRequestException($"'images' holds {count} photos; at most {MaxImages} photos of one place are accepted", "images", code: "too_many_images");
        return images.EnumerateArray().Select((e, i) => JsonFields.String(e, $"images[{i}]")).ToList();
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
