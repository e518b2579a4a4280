using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace G3.Host.Hosting;

/// <summary>
/// Readiness as a health check: healthy once the start-up is done (models loaded, store open, warm-up run) and no
/// server the service needs is being waited for; unhealthy while it starts, while it waits, or after it failed.
/// Its data is what <c>/readyz</c> serves: the step, the model, and while waiting, the server waited for, since when,
/// the next attempt and the last failure (<c>{"status", "ready", "model", "error", "waiting"}</c>).
/// </summary>
internal sealed class StartupHealthCheck(StartupStatus status) : IHealthCheck
{
    public const string Name = "startup";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["step"] = status.Step };
        if (status.Model is { } model) data["model"] = model;
        if (status.Waiting is { } waiting)
        {
            data["waiting_for"] = waiting.Server;
            data["waiting_since"] = waiting.Since.ToString("O", CultureInfo.InvariantCulture);
            data["next_attempt"] = waiting.NextAttempt.ToString("O", CultureInfo.InvariantCulture);
            data["last_failure"] = waiting.Reason;
        }
        var result = status.IsReady ? HealthCheckResult.Healthy(status.Step, data)
            : HealthCheckResult.Unhealthy(status.Error ?? status.Step, data: data);
        return Task.FromResult(result);
    }
}
