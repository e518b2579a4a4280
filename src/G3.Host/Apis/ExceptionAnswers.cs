using G3.Alignment.Imaging;
using G3.Core.Errors;
using G3.Core.Options;
using G3.Diversification.Providers;
using G3.Host.Contracts;
using G3.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using static G3.Host.Contracts.ApiErrors;

namespace G3.Host.Apis;

/// <summary>The answer to an exception a request ran into: the service's typed errors get their status, in OpenAI's error shape.</summary>
internal static class ExceptionAnswers
{
    /// <summary>
    /// Maps the service's typed errors to the right status; anything else is a 500 without internals,
    /// logged with its exception (4xx answers are logged by <see cref="ErrorLogFilter"/>).
    /// </summary>
    public static JsonHttpResult<ErrorBody> From(Exception e, ILogger log)
    {
        var result = Map(e);
        if (ServerOutage.Of(e) is not null)
            log.LogWarning("Request answered 503, a server it needs is unreachable: {Reason}", e.Message);
        else if (result.StatusCode >= 500)
            log.LogError(e, "Request failed with {Status}: {Reason}", result.StatusCode, e.Message);
        else if (e is ImageUrlRefusedException { Detail: { } detail })
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
        ImageUrlRefusedException u => BadRequest(u.Message, "image_url", "image_url_refused"),
        G3OptionsException o => BadRequest(o.Message, "g3", "invalid_options"),
        LmmProviderNotFoundException p => BadRequest(p.Message, "provider", "unknown_provider"),
        GeolocationFailedException g => Create(StatusCodes.Status422UnprocessableEntity, g.Message, "invalid_request_error", code: "no_candidate"),
        // A server the request needs (Qdrant, a transiently failing LMM provider) is unreachable: waiting cures it, so 503;
        // the readiness gate adds Retry-After. The message names no internal address.
        _ when ServerOutage.Of(e) is not null => Create(StatusCodes.Status503ServiceUnavailable,
            "a server this request needs cannot be reached right now; retry after the delay in Retry-After", "service_unavailable", code: "server_unavailable"),
        OperationCanceledException => Create(StatusCodes.Status504GatewayTimeout, "the request was cancelled or ran past its deadline", "timeout", code: "deadline_exceeded"),
        _ => Create(StatusCodes.Status500InternalServerError, "internal error; see the service log", "server_error"),
    };
}
