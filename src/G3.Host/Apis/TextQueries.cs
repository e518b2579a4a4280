using G3.Alignment.Models;
using G3.Core.Pipeline;
using G3.Geography;
using G3.Host.Contracts;

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

    /// <summary>Checks the text, then geolocates it: the domain result, for an answer in words.</summary>
    public async Task<TextGeolocation> LocateAsync(string? text, string param, CancellationToken ct) =>
        await Check(text, param).LocateAsync(text!, ct);

    /// <summary>The result as the API answers it, its places named by the geocoder.</summary>
    public TextGeolocationDto Dto(TextGeolocation result) => TextGeolocationDto.From(result, model.Id, geocoder);

    /// <summary>Checks the text, geolocates it, and answers in the API's shape.</summary>
    public async Task<TextGeolocationDto> RunAsync(string? text, string param, CancellationToken ct) => Dto(await LocateAsync(text, param, ct));
}
