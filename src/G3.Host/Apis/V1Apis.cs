using G3.Alignment.Imaging;
using G3.Host.Composition;
using G3.Host.Contracts;
using G3.Host.Conversations;
using G3.Host.Security;
using Microsoft.Extensions.Options;
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
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestLimitSettings>>((k, settings) =>
        {
            var limits = settings.Value;
            k.Limits.MaxRequestBodySize = limits.MaxBodyBytes;
            // A body trickling in (1 byte/s) is cut off with 408 instead of holding a connection and a request slot.
            k.Limits.MinRequestBodyDataRate = new MinDataRate(limits.MinBodyBytesPerSecond, TimeSpan.FromSeconds(limits.BodyGracePeriodSeconds));
        });
        builder.Services.AddSingleton(sp => new ImageFetcher(sp.GetRequiredService<IOptions<ImageLimits>>().Value,
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<ImageFetchSettings>>().Value.UrlTimeoutSeconds)));
        builder.Services.AddSingleton<TextQueries>();
        builder.Services.AddSingleton(sp => new FollowUpResults(sp.GetRequiredService<G3Caches>().Store,
            sp.GetRequiredService<IOptions<ConversationSettings>>().Value.ResultLifetime, sp.GetRequiredService<ILogger<FollowUpResults>>()));
    }

    public static WebApplication MapG3Apis(this WebApplication app)
    {
        app.MapHealthApi();
        app.MapReadinessApi();
        var v1 = app.MapGroup("/v1")
            .RequireAuthorization(ApiKeyDefaults.Policy)
            .RequireRateLimiting(ApiKeyDefaults.Policy)
            .WithMetadata(new NeedsPipeline())
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
