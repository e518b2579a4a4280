using G3.Alignment.Models;
using G3.Core.Pipeline;
using G3.Geography;

namespace G3.Host.Apis;

/// <summary>
/// Text queries from any entry point (the API's {"text"}, a text-only chat turn, the CLI): the checks
/// that name the field at fault, the 422 for a model without a text tower, and the run.
/// </summary>
internal sealed class TextQueries(ModelManifest model, TextGeolocator? geolocator = null, ReverseGeocoder? geocoder = null)
{
    /// <summary>Checks the text and that the model can read it; throws <see cref="ApiRequestException"/> naming <paramref name="param"/>.</summary>
    public TextGeolocator Check(string? text, string param)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new ApiRequestException($"'{param}' is empty: describe the place (what the photo would show, names you know)", param);
        if (text.Length > TextGeolocator.MaxTextLength)
            throw new ApiRequestException($"'{param}' has {text.Length} characters; at most {TextGeolocator.MaxTextLength}", param, code: "text_too_long");
        return geolocator ?? throw new ApiRequestException(
            $"the model '{model.Id}' has no text tower, so it cannot answer text queries; send a photo, or use a model whose manifest declares \"text\"",
            param, StatusCodes.Status422UnprocessableEntity, "text_unsupported");
    }

    public async Task<TextGeolocationDto> RunAsync(string? text, string param, CancellationToken ct)
    {
        var result = await Check(text, param).LocateAsync(text!, ct);
        return TextGeolocationDto.From(result, model.Id, geocoder);
    }
}
