using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace G3.Host.Hosting;

/// <summary>
/// Readiness as a health check: healthy once the start-up is done (models loaded, store open, warm-up run),
/// unhealthy while it runs or after it failed. <c>/readyz</c> serves it, in the shape
/// <c>{"status", "ready", "model", "error"}</c>.
/// </summary>
internal sealed class StartupHealthCheck(StartupStatus status) : IHealthCheck
{
    public const string Name = "startup";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["step"] = status.Step };
        if (status.Model is { } model) data["model"] = model;
        var result = status.IsReady ? HealthCheckResult.Healthy(status.Step, data)
            : HealthCheckResult.Unhealthy(status.Error ?? status.Step, data: data);
        return Task.FromResult(result);
    }
}
