using G3.Host.Apis;
using G3.Host.Contracts;
using G3.Host.Security;

namespace G3.Host.Hosting;

/// <summary>
/// In front of the API's endpoints: until the start-up is done, a request routed to an endpoint marked
/// <see cref="NeedsPipeline"/> is answered 503 (not ready, or the reason the start failed) before its handler's
/// parameters are bound, so no handler ever resolves a port that is not loaded yet. A request that the endpoint's
/// own checks would refuse (another site's page) is refused as it would be once ready.
/// </summary>
internal static class ReadinessGate
{
    public static void UseReadinessGate(this WebApplication app)
    {
        var status = app.Services.GetRequiredService<StartupStatus>();
        app.Use(async (context, next) =>
        {
            if (status.IsReady || context.GetEndpoint()?.Metadata.GetMetadata<NeedsPipeline>() is null)
            {
                await next(context);
                return;
            }
            var answer = context.RequestServices.GetRequiredService<CrossOriginGuard>().Refusal(context.Request)
                ?? ApiErrors.NotReady(status.Step, status.Error);
            await answer.ExecuteAsync(context);
        });
    }
}
