using G3.Alignment.Imaging;
using G3.Core.Errors;
using G3.Core.Options;
using G3.Diversification.Providers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace G3.Host.Apis;

/// <summary>Errors in OpenAI's shape on every /v1 route: {"error": {"message", "type", "param", "code"}}.</summary>
internal static class ApiErrors
{
    internal sealed record ErrorBody(ErrorDetail Error);

    internal sealed record ErrorDetail(string Message, string Type, string? Param, string? Code);

    public static JsonHttpResult<ErrorBody> Create(int status, string message, string type, string? param = null, string? code = null) =>
        TypedResults.Json(new ErrorBody(new ErrorDetail(message, type, param, code)), ApiJson.Options, statusCode: status);

    public static JsonHttpResult<ErrorBody> BadRequest(string message, string? param = null, string? code = null) =>
        Create(StatusCodes.Status400BadRequest, message, "invalid_request_error", param, code);

    public static JsonHttpResult<ErrorBody> NotReady(string status, string? error) => Create(StatusCodes.Status503ServiceUnavailable,
        error is null ? $"the service is not ready yet ({status}); retry shortly" : $"the service could not start: {error}",
        "service_unavailable", code: error is null ? "not_ready" : "start_failed");

    /// <summary>
    /// Maps the service's typed errors to the right status; anything else is a 500 without internals,
    /// logged with its exception (4xx answers are logged by <see cref="ErrorLogFilter"/>).
    /// </summary>
    public static JsonHttpResult<ErrorBody> From(Exception e, ILogger log)
    {
        var result = Map(e);
        if (G3.Host.Hosting.ServerOutage.Of(e) is not null)
            log.LogWarning("Request answered 503, a server it needs is unreachable: {Reason}", e.Message);
        else if (result.StatusCode >= 500)
            log.LogError(e, "Request failed with {Status}: {Reason}", result.StatusCode, e.Message);
        else if (e is G3.Host.Security.ImageUrlRefusedException { Detail: { } detail })
            log.LogWarning("Image URL not fetched: {Detail}", detail);
        return result;
    }

    private static JsonHttpResult<ErrorBody> Map(Exception e) => e switch
    {
        ApiRequestException r => Create(r.Status, r.Message, "invalid_request_error", r.Param, r.Code),
        BadHttpRequestException b => FromBadRequest(b),
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
        // A server the request needs (Qdrant, a transiently failing LMM provider) is unreachable: waiting cures it, so 503;
        // the readiness gate adds Retry-After. The message names no internal address.
        _ when G3.Host.Hosting.ServerOutage.Of(e) is not null => Create(StatusCodes.Status503ServiceUnavailable,
            "a server this request needs cannot be reached right now; retry after the delay in Retry-After", "service_unavailable", code: "server_unavailable"),
        OperationCanceledException => Create(StatusCodes.Status504GatewayTimeout, "the request was cancelled or ran past its deadline", "timeout", code: "deadline_exceeded"),
        _ => Create(StatusCodes.Status500InternalServerError, "internal error; see the service log", "server_error"),
    };

    /// <summary>Kestrel's own refusals while the body is read: too large (413), too slow (408), malformed (400).</summary>
    public static JsonHttpResult<ErrorBody> FromBadRequest(BadHttpRequestException e) => e.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => Create(e.StatusCode, "the request body is larger than the service accepts", "invalid_request_error", "body", "body_too_large"),
        StatusCodes.Status408RequestTimeout => Create(e.StatusCode, "the request body arrived too slowly", "invalid_request_error", "body", "body_timeout"),
        _ => Create(e.StatusCode is >= 400 and < 500 ? e.StatusCode : StatusCodes.Status400BadRequest,
            "the request is malformed: " + e.Message, "invalid_request_error", "body", "malformed_request"),
    };
}
