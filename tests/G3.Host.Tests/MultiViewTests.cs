using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using G3.Alignment.Encoders;
using G3.Core.Ports;
using G3.Cli;

namespace G3.Host.Tests;

/// <summary>
/// Several photos of one place through the real host, on the bundled model: three photos of one synthetic landmark
/// (Moscow's, from the world's multi-view split) are all encoded, averaged and shown to the LMM; a ninth photo is a 400;
/// a photo of a landmark 6000 km away (Kampala's) is reported as disagreeing in the API, the chat answer and the CLI.
/// </summary>
public sealed class MultiViewTests(MultiViewFixture service) : IClassFixture<MultiViewFixture>
{
    private static readonly string[] Moscow = ["moscow_landmark_0.jpg", "moscow_landmark_1.jpg", "moscow_landmark_2.jpg"];
    private static readonly string[] MoscowAndKampala = ["moscow_landmark_0.jpg", "moscow_landmark_1.jpg", "kampala_landmark_0.jpg"];

    private static MultipartFormDataContent Upload(IEnumerable<string> files)
    {
        var form = new MultipartFormDataContent();
        foreach (var file in files)
        {
            var content = new ByteArrayContent(File.ReadAllBytes(MultiViewFixture.Photo(file)));
            content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(content, "image", file);
        }
        return form;
    }

    private static double ManifestThreshold()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(MultiViewFixture.Manifest));
        return doc.RootElement.GetProperty("viewAgreement").GetProperty("threshold").GetDouble();
    }

    [Fact]
    public async Task A_multipart_request_with_three_photos_of_one_landmark_uses_all_three()
    {
        using var client = await MultiViewFixture.ReadyClientAsync(service);
        while (service.ImagesPerLmmRequest.TryDequeue(out _)) { }

        using var response = await client.PostAsync(new Uri("/v1/geolocate", UriKind.Relative), Upload(Moscow));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var doc = JsonDocument.Parse(text);
        var body = doc.RootElement;

        // The trace: three photos encoded and averaged with equal weights, judged against the manifest's threshold.
        var views = body.GetProperty("views");
        Assert.Equal(3, views.GetProperty("count").GetInt32());
        Assert.All(views.GetProperty("weights").EnumerateArray(), w => Assert.Equal(1.0 / 3, w.GetDouble(), 10));
        Assert.Equal(3, views.GetProperty("pairs").GetArrayLength());
        Assert.Equal(ManifestThreshold(), views.GetProperty("threshold").GetDouble());
        Assert.False(views.GetProperty("disagree").GetBoolean());

        // Retrieval searched with the normalised mean of the three embeddings: each reference's similarity is its dot with it.
        using var encoder = ImageEncoder.Open(MultiViewFixture.Manifest);
        var each = await encoder.EncodeBatchAsync(Moscow.Select(f => new QueryImage(File.ReadAllBytes(MultiViewFixture.Photo(f)))).ToList(), default);
        var mean = new double[each[0].Retrieval.Length];
        foreach (var e in each) for (var i = 0; i < mean.Length; i++) mean[i] += e.Retrieval[i];
        var norm = Math.Sqrt(mean.Sum(x => x * x));
        foreach (var reference in body.GetProperty("references").GetProperty("similar").EnumerateArray())
        {
            var stored = service.StoreVectors[reference.GetProperty("id").GetString()!];
            var expected = stored.Select((v, i) => v * mean[i] / norm).Sum();
            Assert.Equal(expected, reference.GetProperty("similarity").GetDouble(), 4);
        }
        // ...and the query's key covers all three photos, not the first one alone.
        Assert.NotEqual(new QueryImage(File.ReadAllBytes(MultiViewFixture.Photo(Moscow[0]))).Sha256, body.GetProperty("image_sha256").GetString());

        // Every LMM request (the default K = 4 prompts, N = 1 sample each) carried the three photos.
        var perRequest = service.ImagesPerLmmRequest.ToArray();
        Assert.Equal(4, perRequest.Length);
        Assert.All(perRequest, n => Assert.Equal(3, n));
    }

    [Fact]
    public async Task The_provider_limit_caps_the_photos_a_prompt_shows()
    {
        await using var limited = service.WithWebHostBuilder(b => b.UseSetting("Lmm:Providers:stub:MaxImages", "2"));
        using var client = await MultiViewFixture.ReadyClientAsync(limited);
        while (service.ImagesPerLmmRequest.TryDequeue(out _)) { }
        using var response = await client.PostAsync(new Uri("/v1/geolocate", UriKind.Relative), Upload(Moscow));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, body.GetProperty("views").GetProperty("count").GetInt32());
        Assert.NotEmpty(service.ImagesPerLmmRequest);
        Assert.All(service.ImagesPerLmmRequest, n => Assert.Equal(2, n));
    }

    [Fact]
    public async Task Nine_photos_are_a_400_naming_the_field()
    {
        using var client = await MultiViewFixture.ReadyClientAsync(service);
        var nine = Enumerable.Range(0, 9).Select(i => Moscow[i % 3]).ToList();
        using var multipart = await client.PostAsync(new Uri("/v1/geolocate", UriKind.Relative), Upload(nine));
        Assert.Equal(HttpStatusCode.BadRequest, multipart.StatusCode);
        var error = (await multipart.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("image", error.GetProperty("param").GetString());
        Assert.Equal("too_many_images", error.GetProperty("code").GetString());
        Assert.Contains("at most 8", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        var images = nine.Select(f => Convert.ToBase64String(File.ReadAllBytes(MultiViewFixture.Photo(f)))).ToArray();
        using var json = await client.PostAsJsonAsync(new Uri("/v1/geolocate", UriKind.Relative), new { images });
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Equal("images", (await json.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task A_json_list_of_photos_with_weights_is_used_and_a_wrong_weight_count_is_a_400()
    {
        using var client = await MultiViewFixture.ReadyClientAsync(service);
        var images = Moscow.Select(f => "data:image/jpeg;base64," + Convert.ToBase64String(File.ReadAllBytes(MultiViewFixture.Photo(f)))).ToArray();
        using var ok = await client.PostAsJsonAsync(new Uri("/v1/geolocate", UriKind.Relative), new { images, g3 = new { image_weights = new[] { 2.0, 1.0, 1.0 } } });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var weights = (await ok.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("views").GetProperty("weights").EnumerateArray().Select(w => w.GetDouble()).ToList();
        Assert.Equal([0.5, 0.25, 0.25], weights);

        using var bad = await client.PostAsJsonAsync(new Uri("/v1/geolocate", UriKind.Relative), new { images, g3 = new { image_weights = new[] { 1.0, 1.0 } } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var error = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("g3", error.GetProperty("param").GetString());
        Assert.Contains("2 weights for 3 images", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Photos_of_two_far_apart_places_are_reported_in_the_api_the_chat_and_the_cli()
    {
        using var client = await MultiViewFixture.ReadyClientAsync(service);
        using var response = await client.PostAsync(new Uri("/v1/geolocate", UriKind.Relative), Upload(MoscowAndKampala));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var views = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("views");
        Assert.True(views.GetProperty("disagree").GetBoolean());
        Assert.Equal([2], views.GetProperty("outliers").EnumerateArray().Select(o => o.GetInt32()));
        var threshold = ManifestThreshold();
        foreach (var pair in views.GetProperty("pairs").EnumerateArray())
        {
            var withKampala = pair.GetProperty("second").GetInt32() == 2;
            Assert.Equal(withKampala, pair.GetProperty("disagree").GetBoolean());
            Assert.Equal(withKampala, pair.GetProperty("similarity").GetDouble() < threshold);
        }

        // The chat takes every image of the latest user message.
        var parts = MoscowAndKampala.Select(f => (object)new { type = "image_url", image_url = new { url = "data:image/jpeg;base64," + Convert.ToBase64String(File.ReadAllBytes(MultiViewFixture.Photo(f))) } })
            .Prepend(new { type = "text", text = "Where were these taken?" }).ToArray();
        using var chat = await client.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative), new { model = "g3", messages = new[] { new { role = "user", content = parts } } });
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        var completion = await chat.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, completion.GetProperty("g3").GetProperty("views").GetProperty("count").GetInt32());
        var answer = completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        Assert.Contains("Warning: photo 3 looks like a different place from the others", answer, StringComparison.Ordinal);

        // The CLI, with the photos geolocated together.
        var output = new StringWriter();
        var error = new StringWriter();
        string[] args = ["geolocate", "--same-place", .. MoscowAndKampala.Select(MultiViewFixture.Photo), $"--Model:Manifest={MultiViewFixture.Manifest}",
            $"--Store:Embedded:Directory={service.StorePath}", "--Cache:Mode=Off"];
        var exit = await G3Cli.Create().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        Assert.True(exit == 0, error.ToString());
        Assert.Contains("moscow_landmark_0.jpg +2", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Warning: photo 3 looks like a different place from the others", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_refuses_weights_that_do_not_match_the_photos()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string[] args = ["geolocate", "--same-place", "--weights", "1,2", .. Moscow.Select(MultiViewFixture.Photo), $"--Model:Manifest={MultiViewFixture.Manifest}"];
        var exit = await G3Cli.Create().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("2 weights for 3 photos", error.ToString(), StringComparison.Ordinal);
    }
}
