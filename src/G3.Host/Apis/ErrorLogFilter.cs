using G3.Host.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace G3.Host.Apis;

/// <summary>Logs every refused /v1 request (4xx) with its status, field and reason, so hostile or broken clients show in the log.</summary>
internal sealed class ErrorLogFilter(ILogger<ErrorLogFilter> log) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        if (inner is JsonHttpResult<ApiErrors.ErrorBody> { StatusCode: >= 400 and < 500 } error)
        {
            var request = context.HttpContext.Request;
            log.LogWarning("{Method} {Path} refused with {Status} ({Code}, param {Param}): {Message}", request.Method, request.Path,
                error.StatusCode, error.Value!.Error.Code, error.Value.Error.Param, error.Value.Error.Message);
        }
        return result;
    }
}
