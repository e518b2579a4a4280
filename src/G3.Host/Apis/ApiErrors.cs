using G3.Alignment.Imaging;
using G3.Core.Errors;
using G3.Core.Options;
using G3.Diversification.Providers;

namespace G3.Host.Apis;

/// <summary>Errors in OpenAI's shape on every /v1 route: {"error": {"message", "type", "param", "code"}}.</summary>
internal static class ApiErrors
{
    internal sealed record ErrorBody(ErrorDetail Error);

    internal sealed record ErrorDetail(string Message, string Type, string? Param, string? Code);

    public static IResult Create(int status, string message, string type, string? param = null, string? code = null) =>
        TypedResults.Json(new ErrorBody(new ErrorDetail(message, type, param, code)), ApiJson.Options, statusCode: status);

    public static IResult BadRequest(string message, string? param = null, string? code = null) =>
        Create(StatusCodes.Status400BadRequest, message, "invalid_request_error", param, code);

    public static IResult NotReady(string status, string? error) => Create(StatusCodes.Status503ServiceUnavailable,
        error is null ? $"the service is not ready yet ({status}); retry shortly" : $"the service could not start: {error}",
        "service_unavailable", code: error is null ? "not_ready" : "start_failed");

    /// <summary>Maps the service's typed errors to the right status; anything else is a 500 without internals.</summary>
    public static IResult From(Exception e) => e switch
    {
        ImageDecodeException d => d.Kind switch
        {
            ImageDecodeErrorKind.TooLarge or ImageDecodeErrorKind.TooManyPixels => Create(StatusCodes.Status413PayloadTooLarge, d.Message, "invalid_request_error", "image", "image_too_large"),
            ImageDecodeErrorKind.Unsupported => Create(StatusCodes.Status415UnsupportedMediaType, d.Message, "invalid_request_error", "image", "unsupported_image"),
            _ => BadRequest(d.Message, "image", "invalid_image"),
        },
        G3.Host.Security.ImageUrlRefusedException u => BadRequest(u.Message, "image_url", "image_url_refused"),
        G3OptionsException o => BadRequest(o.Message, "g3", "invalid_options"),
        LmmProviderNotFoundException p => BadRequest(p.Message, "provider", "unknown_provider"),
        GeolocationFailedException g => Create(StatusCodes.Status422UnprocessableEntity, g.Message, "invalid_request_error", code: "no_candidate"),
        OperationCanceledException => Create(StatusCodes.Status504GatewayTimeout, "the request was cancelled or ran past its deadline", "timeout", code: "deadline_exceeded"),
        _ => Create(StatusCodes.Status500InternalServerError, "internal error; see the service log", "server_error"),
    };
}
