using Microsoft.AspNetCore.Http.HttpResults;

namespace G3.Host.Contracts;

/// <summary>
/// Errors in OpenAI's shape on every /v1 route: {"error": {"message", "type", "param", "code"}}. Which exception
/// becomes which answer is the API's business (Apis/ExceptionAnswers.cs); security and readiness answer here too.
/// </summary>
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

    /// <summary>Kestrel's own refusals while the body is read: too large (413), too slow (408), malformed (400).</summary>
    public static JsonHttpResult<ErrorBody> FromBadRequest(BadHttpRequestException e) => e.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => Create(e.StatusCode, "the request body is larger than the service accepts", "invalid_request_error", "body", "body_too_large"),
        StatusCodes.Status408RequestTimeout => Create(e.StatusCode, "the request body arrived too slowly", "invalid_request_error", "body", "body_timeout"),
        _ => Create(e.StatusCode is >= 400 and < 500 ? e.StatusCode : StatusCodes.Status400BadRequest,
            "the request is malformed: " + e.Message, "invalid_request_error", "body", "malformed_request"),
    };
}
