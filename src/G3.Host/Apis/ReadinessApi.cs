using System.Globalization;
using G3.Host.Composition;
using G3.Host.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace G3.Host.Apis;

/// <summary>
/// GET /readyz: the readiness health checks (the start-up's, Hosting/StartupHealthCheck.cs, tagged <see cref="ReadyTag"/>) as
/// <c>{"status", "ready", "model", "error", "waiting"}</c>, 200 when ready and 503 otherwise; "waiting" (present only
/// while a server is waited for) says which, since when, the next attempt and the last failure; "cache" says where L2 lives
/// and whether its server answers. The cache server is optional: while it is down the service stays ready, slower and
/// dearer (answers come from L1 or fresh provider calls), so it never turns readiness off. A minimal API endpoint rather than
/// MapHealthChecks, so the OpenAPI document describes it like every other route.
/// </summary>
internal static class ReadinessApi
{
    /// <summary>The tag of the health checks that decide readiness.</summary>
    public const string ReadyTag = "ready";

    public static IEndpointRouteBuilder MapReadinessApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/readyz", ReadyAsync).WithName("readyz");
        return app;
    }

    internal sealed record Readiness(string Status, bool Ready, string? Model, string? Error, ServerWaitDto? Waiting = null, CacheDto? Cache = null);

    /// <summary>L2: "disk" (always up) or "redis" with its server, up or down since when, the last failure and the next attempt.</summary>
    internal sealed record CacheDto(string Kind, bool Up, string? Server = null, string? DownSince = null, string? LastFailure = null, string? NextAttempt = null);

    /// <summary>The server waited for; times in ISO 8601 (UTC).</summary>
    internal sealed record ServerWaitDto(string For, string Since, string NextAttempt, string LastFailure);

    private static async Task<JsonHttpResult<Readiness>> ReadyAsync(HealthCheckService health, G3Caches caches, CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(c => c.Tags.Contains(ReadyTag), ct);
        var ready = report.Status == HealthStatus.Healthy;
        var entry = report.Entries.Values.FirstOrDefault(e => e.Status != HealthStatus.Healthy, report.Entries.Values.FirstOrDefault());
        var step = entry.Data.TryGetValue("step", out var s) ? (string)s : report.Status.ToString().ToLowerInvariant();
        var model = report.Entries.Values.Select(e => e.Data.TryGetValue("model", out var m) ? (string)m : null).FirstOrDefault(m => m is not null);
        var waiting = entry.Data.TryGetValue("waiting_for", out var server)
            ? new ServerWaitDto((string)server, (string)entry.Data["waiting_since"], (string)entry.Data["next_attempt"], (string)entry.Data["last_failure"])
            : null;
        return TypedResults.Json(new Readiness(step, ready, model, ready || entry.Description == step ? null : entry.Description, waiting, Cache(caches)), ApiJson.Options,
            statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static CacheDto Cache(G3Caches caches) => caches.Server is not { } server
        ? new CacheDto("disk", true)
        : new CacheDto("redis", server.Up, server.Server, server.DownSince?.ToString("O", CultureInfo.InvariantCulture), server.LastFailure,
            server.NextAttempt?.ToString("O", CultureInfo.InvariantCulture));
}
