using System.Text.Json;
using G3.Core.Ports;
using G3.Host.Composition;
using G3.Host.Conversations;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace G3.Host.Tests.Caching;

/// <summary>
/// A follow-up on another replica reads the photo's whole result back from the cache: every field must survive the
/// round trip. Written, read back and written again, a real result (LMM and retrieved candidates, scores, levels) gives
/// the same JSON; a field the reader cannot rebuild would come back as its default and differ.
/// </summary>
public sealed class CacheJsonTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task A_pipeline_result_survives_the_cache_round_trip_field_for_field()
    {
        await using var stub = await CountingLmmStub.StartAsync();
        using var app = service.WithWebHostBuilder(b =>
        {
            foreach (var setting in stub.Settings()) { var (key, value) = Split(setting); b.UseSetting(key, value); }
            b.UseSetting("Pipeline:SamplesPerPrompt", "2");
        });
        using var client = await app.CreateClient().WhenReadyAsync();
        var pipeline = app.Services.GetRequiredService<G3Pipelines>().For();
        var options = app.Services.GetRequiredService<RequestDefaults>().Options;
        var result = await pipeline.RunAsync(new QueryImage(ReplicaSet.Photo(1)), options);
        Assert.NotEmpty(result.LmmCandidates);

        var written = JsonSerializer.Serialize(new RecentResult(result, "g3-test"), CacheJson.Options);
        var readBack = JsonSerializer.Deserialize<RecentResult>(written, CacheJson.Options)!;

        Assert.Equal(written, JsonSerializer.Serialize(readBack, CacheJson.Options));
        Assert.Equal(result.Point, readBack.Result.Point);
    }

    private static (string Key, string Value) Split(string setting)
    {
        var at = setting.IndexOf('=', StringComparison.Ordinal);
        return (setting[2..at], setting[(at + 1)..]);
    }
}
