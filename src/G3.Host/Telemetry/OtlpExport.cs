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
        var endpoint = app.Configuration["Telemetry:OtlpEndpoint"];
        if (string.IsNullOrWhiteSpace(endpoint)) return;
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
            throw new InvalidOperationException($"Telemetry:OtlpEndpoint '{endpoint}' is not an absolute URL");
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
