using G3.Core.Pipeline;
using G3.Host.Composition;

namespace G3.Host.Apis;

/// <summary>
/// Text queries from any entry point (the API's {"text"}, a text-only chat turn, the CLI): the checks
/// that name the field at fault, the 422 for a model without a text tower, and the run.
/// </summary>
internal static class TextQueries
{
    /// <summary>Checks the text and that the model can read it; throws <see cref="ApiRequestException"/> naming <paramref name="param"/>.</summary>
    public static TextGeolocator Check(G3Runtime runtime, string? text, string param)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new ApiRequestException($"'{param}' is empty: describe the place (what the photo would show, names you know)", param);
        if (text.Length > TextGeolocator.MaxTextLength)
            throw new ApiRequestException($"'{param}' has {text.Length} characters; at most {TextGeolocator.MaxTextLength}", param, code: "text_too_long");
        return runtime.Text ?? throw new ApiRequestException(
            $"the model '{runtime.ModelId}' has no text tower, so it cannot answer text queries; send a photo, or use a model whose manifest declares \"text\"",
            param, StatusCodes.Status422UnprocessableEntity, "text_unsupported");
    }

    public static async Task<TextGeolocationDto> RunAsync(G3Runtime runtime, string? text, string param, CancellationToken ct)
    {
        var geolocator = Check(runtime, text, param);
        var result = await geolocator.LocateAsync(text!, ct);
        return TextGeolocationDto.From(result, runtime.ModelId, runtime.Geocoder);
    }
}
