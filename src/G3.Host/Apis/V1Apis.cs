using G3.Host.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace G3.Host.Apis;

/// <summary>
/// The HTTP API's composition: /healthz and /readyz open; every /v1 endpoint in one route group that
/// requires the API-key policy, the per-key rate limit, a same-origin (or allowed-origin) caller, and
/// logs each refusal. Authorization sits on the endpoints, so any spelling of the path that routes to
/// them (case, percent-encoding, dot segments, slashes) meets the same checks.
/// </summary>
internal static class V1Apis
{
    /// <summary>JSON conventions for typed results, Kestrel's body limits and the last-resort error answer.</summary>
    public static void AddG3Apis(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Apply(o.SerializerOptions));
        var limits = builder.Configuration.GetSection(RequestLimitSettings.SectionName).Get<RequestLimitSettings>() ?? new RequestLimitSettings();
        var problems = limits.Validate();
        if (problems.Count > 0) throw new InvalidOperationException(string.Join(" ", problems));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = limits.MaxBodyBytes;
            // A body trickling in (1 byte/s) is cut off with 408 instead of holding a connection and a request slot.
            k.Limits.MinRequestBodyDataRate = new MinDataRate(limits.MinBodyBytesPerSecond, TimeSpan.FromSeconds(limits.BodyGracePeriodSeconds));
        });
    }

    public static WebApplication MapG3Apis(this WebApplication app)
    {
        app.MapHealthApi();
        app.MapReadinessApi();
        var v1 = app.MapGroup("/v1")
            .RequireAuthorization(ApiKeyDefaults.Policy)
            .RequireRateLimiting(ApiKeyDefaults.Policy)
            .AddEndpointFilter<CrossOriginGuard>()
            .AddEndpointFilter<ErrorLogFilter>();
        v1.MapModelsApi();
        v1.MapGeolocateApi();
        v1.MapChatCompletionsApi();
        return app;
    }

    /// <summary>Before routing: any exception that escapes an endpoint becomes an answer in OpenAI's error shape.</summary>
    public static void UseG3ErrorAnswers(this WebApplication app) =>
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = UnhandledErrors.WriteAsync });
}
