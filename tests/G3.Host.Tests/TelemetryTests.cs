using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Headers;

namespace G3.Host.Tests;

public class TelemetryTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task A_geolocation_emits_an_activity_with_stage_events_and_request_metrics()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "G3.Host",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var requests = 0L;
        using var meters = new MeterListener
        {
            InstrumentPublished = (i, l) => { if (i.Meter.Name == "G3.Host") l.EnableMeasurementEvents(i); },
        };
        meters.SetMeasurementEventCallback<long>((i, v, _, _) => { if (i.Name == "g3.requests") Interlocked.Add(ref requests, v); });
        meters.Start();

        using var client = await service.ReadyClientAsync();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(File.ReadAllBytes(TestPaths.Fixture("images", "landscape.jpg")));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "image", "landscape.jpg");
        using var response = await client.PostAsync(new Uri("/v1/geolocate", UriKind.Relative), form);
        response.EnsureSuccessStatusCode();

        // Other tests run in parallel and emit activities too: find ours by the image's hash.
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(TestPaths.Fixture("images", "landscape.jpg"))));
        var ours = activities.Where(a => a.OperationName == "g3.geolocate" && (a.GetTagItem("g3.image_sha256") as string) == sha).ToList();
        Assert.NotEmpty(ours);
        Assert.All(ours, a =>
        {
            Assert.Equal(["encode", "retrieve", "generate", "verify"], a.Events.Select(e => e.Name));
            Assert.Equal("ok", a.GetTagItem("g3.outcome"));
        });
        Assert.True(Interlocked.Read(ref requests) >= 1);
    }
}
