using System.Globalization;
using G3.Host.Apis;
using G3.Host.Composition;
using G3.Host.Contracts;
using G3.Host.Security;
using Microsoft.Extensions.Options;

namespace G3.Host.Hosting;

/// <summary>
/// In front of the API's endpoints: until the start-up is done, a request routed to an endpoint marked
/// <see cref="NeedsPipeline"/> is answered 503 (not ready, or the reason the start failed) before its handler's
/// parameters are bound, so no handler ever resolves a port that is not loaded yet. A request that the endpoint's
/// own checks would refuse (another site's page) is refused as it would be once ready. Once started, requests reach
/// their handlers even while a server is waited for: a malformed one still gets its 4xx, and one that needs the missing
/// server gets 503 from the server's open circuit in milliseconds. Every 503 carries Retry-After.
/// </summary>
internal static class ReadinessGate
{
    public static void UseReadinessGate(this WebApplication app)
    {
        var status = app.Services.GetRequiredService<StartupStatus>();
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var response = context.Response;
                if (response.StatusCode == StatusCodes.Status503ServiceUnavailable && !response.Headers.ContainsKey("Retry-After"))
                    response.Headers.RetryAfter = RetryAfterSeconds(status, context.RequestServices).ToString(CultureInfo.InvariantCulture);
                return Task.CompletedTask;
            });
            if (status.IsStarted || context.GetEndpoint()?.Metadata.GetMetadata<NeedsPipeline>() is null)
            {
                await next(context);
                return;
            }
            var answer = context.RequestServices.GetRequiredService<CrossOriginGuard>().Refusal(context.Request)
                ?? ApiErrors.NotReady(status.Step, status.Error);
            await answer.ExecuteAsync(context);
        });
    }

    /// <summary>Until the next attempt to reach the server waited for; otherwise the first back-off delay. At least 1 s.</summary>
    private static long RetryAfterSeconds(StartupStatus status, IServiceProvider services)
    {
        var wait = status.Waiting is { } w ? w.NextAttempt - DateTimeOffset.UtcNow
            : services.GetRequiredService<IOptions<DependencySettings>>().Value.RetryBaseDelay;
        return Math.Clamp((long)Math.Ceiling(wait.TotalSeconds), 1, 3600);
    }
}
