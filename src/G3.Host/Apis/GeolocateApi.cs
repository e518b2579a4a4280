using G3.Core.Options;
using G3.Core.Ports;
using G3.Alignment.Models;
using G3.Geography;
using G3.Host.Composition;
using G3.Host.Contracts;
using G3.Host.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;
using static G3.Host.Contracts.ApiErrors;

namespace G3.Host.Apis;

/// <summary>
/// POST /v1/geolocate: the native API for programs. Takes a multipart upload (file field "image", repeated for up to
/// 8 photos of one place; optional fields "provider" and "g3" holding the JSON overrides) or a JSON body
/// (<see cref="GeolocateRequest"/>), and answers with the full result (<see cref="GeolocationDto"/>).
/// A JSON body with "text" instead of "image" is a text query, answered with a location distribution
/// (<see cref="TextGeolocationDto"/>).
/// </summary>
internal static class GeolocateApi
{
    /// <summary>Maps POST {group}/geolocate: multipart uploads (what it is meant for) and JSON.</summary>
    public static IEndpointRouteBuilder MapGeolocateApi(this IEndpointRouteBuilder v1)
    {
        v1.MapPost("/geolocate", Geolocate).WithName("geolocate").DisableAntiforgery();
        return v1;
    }

    private static async Task<Results<Ok<GeolocationDto>, Ok<TextGeolocationDto>, JsonHttpResult<ErrorBody>>> Geolocate(
        HttpRequest request, G3Pipelines pipelines, RequestDefaults defaults, ModelManifest model, TextQueries text,
        G3.Host.Security.ImageFetcher fetcher, ILogger<GeolocateRequest> log, CancellationToken cancellationToken, ReverseGeocoder? geocoder = null)
    {
        // One deadline for the whole request (reading the body included): past it the answer is 504, not a hung connection.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(defaults.Timeout);
        cancellationToken = deadline.Token;
        try
        {
            var (query, description, provider, overrides) = await ReadAsync(request, fetcher, cancellationToken);
            if (query is null)
                return TypedResults.Ok(await text.RunAsync(description, "text", cancellationToken));
            using var activity = G3Telemetry.Start("geolocate", provider);
            try
            {
                var options = (overrides ?? new G3OptionsOverrides()).ApplyTo(defaults.Options);
                var result = await pipelines.For(provider).RunAsync(query, options, cancellationToken: cancellationToken);
                G3Telemetry.Succeeded(activity, "geolocate", result);
                GeolocationDto.LogFailedCandidates(result, log);
                return TypedResults.Ok(GeolocationDto.From(result, model.Id, geocoder));
            }
            catch (Exception e)
            {
                G3Telemetry.Failed(activity, "geolocate", e);
                throw;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return ExceptionAnswers.From(e, log);
        }
    }

    /// <summary>The photos and their options, or (Query null) a text query's text: a JSON body with "text" and nothing photo-specific.</summary>
    private static async Task<(PlaceQuery? Query, string? Text, string? Provider, G3OptionsOverrides? Overrides)> ReadAsync(HttpRequest request, G3.Host.Security.ImageFetcher fetcher, CancellationToken ct)
    {
        if (request.HasFormContentType)
        {
            if (!request.ContentType!.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
                throw new ApiRequestException("send the photo as multipart/form-data (a file field 'image') or as application/json",
                    "Content-Type", StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type");
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(ct);
            }
            catch (Exception e) when (e is InvalidDataException or IOException && e is not BadHttpRequestException)
            {
                // A closing boundary that never comes, a section without headers, a body cut short.
                throw new ApiRequestException("the multipart body is malformed or ends before its closing boundary", "body", code: "malformed_multipart");
            }
            // Photos of one place: the file field "image", once per photo. Another file field is a typo, not ignored.
            if (form.Files.FirstOrDefault(f => f.Name != "image") is { } stray)
                throw new ApiRequestException($"unknown file field '{stray.Name}'; send each photo as a file field named 'image'", stray.Name);
            var files = form.Files.GetFiles("image");
            if (files.Count == 0 || files.Any(f => f.Length == 0))
                throw new ApiRequestException("the multipart form needs a non-empty file field named 'image' (one per photo)", "image");
            if (files.Count > PlaceQuery.MaxImages)
                throw new ApiRequestException($"the form holds {files.Count} photos; at most {PlaceQuery.MaxImages} photos of one place are accepted",
                    "image", code: "too_many_images");
            var images = new List<QueryImage>(files.Count);
            foreach (var file in files)
            {
                using var buffer = new MemoryStream((int)file.Length);
                await file.CopyToAsync(buffer, ct);
                images.Add(new QueryImage(buffer.ToArray(), file.ContentType));
            }
            G3OptionsOverrides? overrides = null;
            if (form.TryGetValue("g3", out var json) && !string.IsNullOrWhiteSpace(json))
            {
                using var g3 = JsonFields.ParseObject(json.ToString(), "g3");
                overrides = G3OptionsJson.Read(g3.RootElement, "g3");
            }
            var provider = form.TryGetValue("provider", out var p) && !string.IsNullOrWhiteSpace(p) ? p.ToString() : null;
            return (new PlaceQuery(images), null, provider, overrides);
        }
        if (request.HasJsonContentType())
        {
            using var document = await JsonFields.ParseObjectAsync(request.Body, ct);
            var body = GeolocateRequest.Read(document.RootElement);
            if (body.Text is not null)
            {
                if (body.Image is not null || body.Images is not null)
                    throw new ApiRequestException("give either 'text' (a description of the place) or photos ('image' / 'images'), not both", "text");
                if (body.Provider is not null)
                    throw new ApiRequestException("'provider' does not apply to text queries (no LMM is asked); leave it out", "provider");
                if (body.G3 is not null)
                    throw new ApiRequestException("'g3' options do not apply to text queries; leave them out", "g3");
                return (null, body.Text, null, null);
            }
            if (body.Images is not null)
            {
                if (body.Image is not null)
                    throw new ApiRequestException("send either 'image' (one photo) or 'images' (a list), not both", "images");
                var images = new List<QueryImage>(body.Images.Count);
                for (var i = 0; i < body.Images.Count; i++)
                {
                    var (one, why) = await ImagePayload.ResolveAsync(body.Images[i], fetcher, ct);
                    images.Add(one ?? throw new ApiRequestException(why!, $"images[{i}]"));
                }
                return (new PlaceQuery(images), null, body.Provider, body.G3);
            }
            if (string.IsNullOrWhiteSpace(body.Image))
                throw new ApiRequestException("the JSON body needs 'image' (the photo as base64, a data URL or an http(s) URL) or 'images' (a list of them)", "image");
            var (image, problem) = await ImagePayload.ResolveAsync(body.Image, fetcher, ct);
            if (image is null)
                throw new ApiRequestException(problem!, "image");
            return (new PlaceQuery(image), null, body.Provider, body.G3);
        }
        throw new ApiRequestException("send multipart/form-data with a file field 'image', or application/json with 'image' as base64",
            "Content-Type", StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type");
    }
}
