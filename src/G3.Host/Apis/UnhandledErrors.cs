using G3.Host.Contracts;
using Microsoft.AspNetCore.Diagnostics;

namespace G3.Host.Apis;

/// <summary>
/// The exception handler's answer: Kestrel's refusals while reading a body (413 too large, 408 too
/// slow, 400 malformed) keep their status; anything else is a 500, logged with its exception (the
/// middleware logs it too), never with internals in the answer.
/// </summary>
internal static class UnhandledErrors
{
    public static async Task WriteAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var log = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UnhandledErrors));
        var result = error switch
        {
            BadHttpRequestException bad => ApiErrors.FromBadRequest(bad),
            _ => ApiErrors.Create(StatusCodes.Status500InternalServerError, "internal error; see the service log", "server_error"),
        };
        if (result.StatusCode >= 500)
            log.LogError(error, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
        else
            log.LogWarning("{Method} {Path} refused with {Status}: {Reason}", context.Request.Method, context.Request.Path, result.StatusCode, error?.Message);
        await result.ExecuteAsync(context);
    }
}
