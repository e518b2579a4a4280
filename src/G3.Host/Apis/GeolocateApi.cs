using System.Text.Json;
using G3.Core.Ports;
using G3.Host.Hosting;
using G3.Host.Telemetry;

namespace G3.Host.Apis;

/// <summary>
/// POST /v1/geolocate: the native API for programs. Takes a multipart upload (field "image", optional
/// fields "provider" and "g3" holding the JSON overrides) or a JSON body (<see cref="GeolocateRequest"/>),
/// and answers with the full result (<see cref="GeolocationDto"/>).
/// </summary>
internal static class GeolocateApi
{
    public static IEndpointRouteBuilder MapGeolocateApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/geolocate", Geolocate).WithName("geolocate").DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> Geolocate(HttpRequest request, RuntimeState state, G3.Host.Security.ImageFetcher fetcher, CancellationToken cancellationToken)
    {
        if (state.Runtime is not { } runtime)
            return ApiErrors.NotReady(state.Status, state.Error);

        // One deadline for the whole request: past it the answer is 504, not a hung connection.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(runtime.RequestTimeout);
        cancellationToken = deadline.Token;
        try
        {
            var (parsed, error) = await ReadAsync(request, fetcher, cancellationToken);
            if (error is not null) return error;
            var (image, provider, overrides) = parsed!.Value;
            using var activity = G3Telemetry.Start("geolocate", provider);
            try
            {
                var options = (overrides ?? new G3OptionsOverrides()).ApplyTo(runtime.Defaults);
                var result = await runtime.PipelineFor(provider).RunAsync(image, options, cancellationToken: cancellationToken);
                G3Telemetry.Succeeded(activity, "geolocate", result);
                return TypedResults.Json(GeolocationDto.From(result, runtime.ModelId, runtime.Geocoder), ApiJson.Options);
            }
            catch (Exception e)
            {
                G3Telemetry.Failed(activity, "geolocate", e);
                throw;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return ApiErrors.From(e);
        }
    }

    private static async Task<((QueryImage Image, string? Provider, G3OptionsOverrides? Overrides)?, IResult?)> ReadAsync(HttpRequest request, G3.Host.Security.ImageFetcher fetcher, CancellationToken ct)
    {
        try
        {
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(ct);
                var file = form.Files.GetFile("image");
                if (file is null || file.Length == 0)
                    return (null, ApiErrors.BadRequest("the multipart form needs a non-empty file field named 'image'", "image"));
                using var buffer = new MemoryStream((int)file.Length);
                await file.CopyToAsync(buffer, ct);
                var overrides = form.TryGetValue("g3", out var json) && !string.IsNullOrWhiteSpace(json)
                    ? JsonSerializer.Deserialize<G3OptionsOverrides>(json.ToString(), ApiJson.Options)
                    : null;
                var provider = form.TryGetValue("provider", out var p) && !string.IsNullOrWhiteSpace(p) ? p.ToString() : null;
                return ((new QueryImage(buffer.ToArray(), file.ContentType), provider, overrides), null);
            }
            if (request.HasJsonContentType())
            {
                var body = await request.ReadFromJsonAsync<GeolocateRequest>(ApiJson.Options, ct);
                if (string.IsNullOrWhiteSpace(body?.Image))
                    return (null, ApiErrors.BadRequest("the JSON body needs 'image': the photo as base64, a data URL or an http(s) URL", "image"));
                var (image, problem) = await ImagePayload.ResolveAsync(body.Image, fetcher, ct);
                if (image is null)
                    return (null, ApiErrors.BadRequest(problem!, "image"));
                return ((image, body.Provider, body.G3), null);
            }
            return (null, ApiErrors.Create(StatusCodes.Status415UnsupportedMediaType,
                "send multipart/form-data with a file field 'image', or application/json with 'image' as base64", "invalid_request_error"));
        }
        catch (JsonException e)
        {
            return (null, ApiErrors.BadRequest("the request body is not valid JSON: " + e.Message));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, ApiErrors.Create(StatusCodes.Status413PayloadTooLarge, "the request body is larger than the service accepts", "invalid_request_error"));
        }
        catch (InvalidDataException e)
        {
            return (null, ApiErrors.BadRequest("the multipart body is malformed: " + e.Message));
        }
    }
}
