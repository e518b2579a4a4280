using G3.Host.Contracts;

namespace G3.Host.Security;

/// <summary>
/// Refuses /v1 requests that a browser sends from another site's page (an Origin header that is
/// neither this service's own origin nor one of Security:CorsOrigins). CORS headers alone only stop
/// the page from reading the answer; a multipart form post is sent regardless, and would spend the
/// user's LMM credits on a keyless loopback instance. Programs (curl, SDKs) send no Origin.
/// </summary>
internal sealed class CrossOriginGuard(IReadOnlySet<string> allowedOrigins, ILogger<CrossOriginGuard> log) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Refusal(context.HttpContext.Request) ?? await next(context);

    /// <summary>The 403 for a request from another site's page; null when it may go on.</summary>
    public IResult? Refusal(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || IsSameOrigin(request, origin) || allowedOrigins.Contains(origin.TrimEnd('/')))
            return null;
        log.LogWarning("Refused a cross-origin request from {Origin} to {Path}", origin, request.Path);
        return ApiErrors.Create(StatusCodes.Status403Forbidden,
            $"requests from the web origin '{origin}' are not allowed; add it to Security:CorsOrigins to allow it", "invalid_request_error", code: "origin_not_allowed");
    }

    private static bool IsSameOrigin(HttpRequest request, string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var o) && request.Host.HasValue
        && string.Equals(o.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
