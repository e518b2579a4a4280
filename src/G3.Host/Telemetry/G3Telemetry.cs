using System.Diagnostics;
using System.Diagnostics.Metrics;
using G3.Core.Pipeline;

namespace G3.Host.Telemetry;

/// <summary>
/// The service's traces and metrics, through System.Diagnostics so any OpenTelemetry listener can
/// export them: an activity per geolocation with one event per stage, request/stage duration
/// histograms, and counters of requests by outcome. (LMM calls, retries, breaks and fallbacks have
/// their own meter, "G3.Diversification".)
/// </summary>
internal static class G3Telemetry
{
    public const string Name = "G3.Host";
    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);
    private static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>("g3.request.duration", "s", "Wall time of one geolocation");
    private static readonly Histogram<double> StageDuration = Meter.CreateHistogram<double>("g3.stage.duration", "s", "Wall time of one pipeline stage");
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("g3.requests", description: "Geolocations by API and outcome");

    public static Activity? Start(string api, string? provider)
    {
        var activity = Source.StartActivity("g3." + api, ActivityKind.Internal);
        activity?.SetTag("g3.api", api);
        activity?.SetTag("g3.provider", provider ?? "default");
        return activity;
    }

    public static void Succeeded(Activity? activity, string api, GeolocationResult result)
    {
        var t = result.Timings;
        foreach (var (stage, elapsed) in new[] { (Stages.Encode, t.Encode), (Stages.Retrieve, t.Retrieve), (Stages.Generate, t.Generate), (Stages.Verify, t.Verify) })
        {
            StageDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("stage", stage));
            activity?.AddEvent(new ActivityEvent(stage, tags: new ActivityTagsCollection { ["duration_ms"] = elapsed.TotalMilliseconds }));
        }
        RequestDuration.Record(t.Total.TotalSeconds, new KeyValuePair<string, object?>("api", api));
        var outcome = result.Degraded ? "degraded" : "ok";
        Requests.Add(1, new KeyValuePair<string, object?>("api", api), new KeyValuePair<string, object?>("outcome", outcome));
        activity?.SetTag("g3.outcome", outcome);
        activity?.SetTag("g3.image_sha256", result.ImageSha256); // the hash only: images never reach logs or traces
        activity?.SetTag("g3.candidates", result.Ranked.Count);
    }

    public static void Failed(Activity? activity, string api, Exception e)
    {
        Requests.Add(1, new KeyValuePair<string, object?>("api", api), new KeyValuePair<string, object?>("outcome", e.GetType().Name));
        activity?.SetStatus(ActivityStatusCode.Error, e.Message);
    }
}
