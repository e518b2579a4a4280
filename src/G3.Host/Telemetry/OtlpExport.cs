using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace G3.Host.Telemetry;

/// <summary>
/// Exports traces and metrics over OTLP when <c>Telemetry:OtlpEndpoint</c> is set (e.g.
/// http://collector:4317); otherwise nothing is exported and nothing is listening. The LMM stage reports under
/// "G3.Diversification" (Semantic Kernel prompt spans, resilience metrics, ".Prompts" meter) and
/// "G3.Diversification.GenAI" (Microsoft.Extensions.AI's GenAI-convention spans and metrics per provider attempt).
/// </summary>
internal static class OtlpExport
{
    public static void Configure(WebApplication app)
    {
        // Read when the host starts, after every section has been validated (TelemetrySettings checks the URL).
        app.Lifetime.ApplicationStarted.Register(() => Start(app));
    }

    private static void Start(WebApplication app)
    {
        var endpoint = app.Services.GetRequiredService<IOptions<G3.Host.Composition.TelemetrySettings>>().Value.OtlpEndpoint;
        if (string.IsNullOrWhiteSpace(endpoint)) return;
        var uri = new Uri(endpoint, UriKind.Absolute);
        var resource = ResourceBuilder.CreateDefault().AddService("g3");
        var tracer = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource)
            .AddSource(G3Telemetry.Name, "G3.Diversification", "G3.Diversification.GenAI").AddOtlpExporter(o => o.Endpoint = uri).Build();
        var meter = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource)
            .AddMeter(G3Telemetry.Name, "G3.Diversification", "G3.Diversification.Prompts", "G3.Diversification.GenAI", "Microsoft.AspNetCore.Hosting").AddOtlpExporter(o => o.Endpoint = uri).Build();
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            tracer.Dispose();
            meter.Dispose();
        });
    }
}
