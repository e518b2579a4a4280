using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;

namespace G3.Host.Tests;

public class GeolocateApiTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private static byte[] Photo(string name) => File.ReadAllBytes(TestPaths.Fixture("images", name));

    private static MultipartFormDataContent Upload(byte[] bytes, string name = "photo.jpg", string? g3 = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "image", name);
        if (g3 is not null) form.Add(new StringContent(g3), "g3");
        return form;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage r) => (await r.Content.ReadFromJsonAsync<JsonElement>())!;

    [Fact]
    public async Task Readyz_turns_ready_after_loading_and_models_lists_the_default_pipeline()
    {
        using var client = await service.ReadyClientAsync();
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        var body = await Json(ready);
        Assert.True(body.GetProperty("ready").GetBoolean());
        Assert.Equal("g3-test", body.GetProperty("model").GetString());
        using var models = await client.GetAsync(new Uri("/v1/models", UriKind.Relative));
        var ids = (await Json(models)).GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Contains("g3", ids);
        Assert.Contains("g3-none", ids);
    }

    [Fact]
    public async Task A_photo_from_the_store_is_placed_at_its_own_location()
    {
        using var client = await service.ReadyClientAsync();
        using var response = await client.PostAsync(new Uri("/v1/geolocate", UriKind.Relative), Upload(Photo("lossy.webp")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json(response);
        // The photo itself is its most similar reference, so the retrieved candidates include Sydney.
        Assert.Equal("lossy.webp", body.GetProperty("references").GetProperty("similar")[0].GetProperty("id").GetString());
        Assert.Equal(5, body.GetProperty("candidates").GetArrayLength());
        Assert.False(body.GetProperty("degraded").GetBoolean());
        Assert.Equal("g3-test", body.GetProperty("model").GetString());
        Assert.InRange(body.GetProperty("latitude").GetDouble(), -90, 90);
        Assert.True(body.GetProperty("timings_ms").GetProperty("total").GetDouble() > 0);
        Assert.Equal(64, body.GetProperty("image_sha256").GetString()!.Length);
        var best = body.GetProperty("best");
        Assert.Equal("retrieval", best.GetProperty("source").GetString());
        Assert.Equal(body.GetProperty("latitude").GetDouble(), best.GetProperty("latitude").GetDouble());

        // Each candidate carries the verifier's probability; they sum to 1. This fixture model has no consensus
        // section, so the verifier is G3's argmax: probability falls with the rank, as the score does.
        var candidates = body.GetProperty("candidates").EnumerateArray().ToList();
        var probabilities = candidates.Select(c => c.GetProperty("probability").GetDouble()).ToList();
        Assert.Equal(1.0, probabilities.Sum(), 9);
        Assert.Equal(probabilities.OrderDescending(), probabilities);
        Assert.Equal(probabilities[0], best.GetProperty("probability").GetDouble());
    }

    [Fact]
    public async Task JSON_with_base64_or_a_data_URL_works_and_options_can_be_overridden()
    {
        using var client = await service.ReadyClientAsync();
        var b64 = Convert.ToBase64String(Photo("landscape.jpg"));
        using var plain = await client.PostAsJsonAsync(new Uri("/v1/geolocate", UriKind.Relative), new { image = b64, g3 = new { retrieved_candidates = 3 } });
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(3, (await Json(plain)).GetProperty("candidates").GetArrayLength());
        using var dataUrl = await client.PostAsJsonAsync(new Uri("/v1/geolocate", UriKind.Relative), new { image = "data:image/jpeg;base64," + b64 });
        Assert.Equal(HttpStatusCode.OK, dataUrl.StatusCode);
    }

    [Theory]
    [InlineData("text.txt", HttpStatusCode.UnsupportedMediaType, "unsupported_image")]
    [InlineData("truncated.jpg", HttpStatusCode.BadRequest, "invalid_image")]
    [InlineData("empty.bin", HttpStatusCode.BadRequest, null)]
    [InlineData("huge_header.png", HttpStatusCode.RequestEntityTooLarge, "image_too_large")]
    public async Task Bad_images_get_the_right_status_in_the_OpenAI_error_shape(string file, HttpStatusCode status, string? code)
    {
        using var client = await service.ReadyClientAsync();
        using var response = await client.PostAsync(new Uri("/v1/geolocate", UriKind.Relative), Upload(Photo(file)));
        Assert.Equal(status, response.StatusCode);
        var error = (await Json(response)).GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.True(error.TryGetProperty("type", out _));
        if (code is not null) Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.DoesNotContain("   at ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_requests_are_400_and_invalid_options_name_the_setting()
    {
        using var client = await service.ReadyClientAsync();
        using var notJson = await client.PostAsync(new Uri("/v1/geolocate", UriKind.Relative), new StringContent("{nope", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        using var noImage = await client.PostAsJsonAsync(new Uri("/v1/geolocate", UriKind.Relative), new { provider = "none" });
        Assert.Equal(HttpStatusCode.BadRequest, noImage.StatusCode);
        using var badB64 = await client.PostAsJsonAsync(new Uri("/v1/geolocate", UriKind.Relative), new { image = "***" });
        Assert.Equal(HttpStatusCode.BadRequest, badB64.StatusCode);
        using var badOptions = await client.PostAsync(new Uri("/v1/geolocate", UriKind.Relative), Upload(Photo("landscape.jpg"), g3: "{\"samples_per_prompt\": 0}"));
        Assert.Equal(HttpStatusCode.BadRequest, badOptions.StatusCode);
        Assert.Contains("SamplesPerPrompt", (await Json(badOptions)).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        using var unknownProvider = await client.PostAsJsonAsync(new Uri("/v1/geolocate", UriKind.Relative), new { image = Convert.ToBase64String(Photo("landscape.jpg")), provider = "gpt9" });
        Assert.Equal(HttpStatusCode.BadRequest, unknownProvider.StatusCode);
        using var text = await client.PostAsync(new Uri("/v1/geolocate", UriKind.Relative), new StringContent("hello"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
    }
}

public class RequestDeadlineTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task A_request_past_its_deadline_is_answered_504()
    {
        // An LMM that takes 30 s to answer, and a request deadline of half a second.
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var stub = builder.Build();
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapPost(stub, "/v1/chat/completions",
            async (Microsoft.AspNetCore.Http.HttpContext ctx) => await Task.Delay(TimeSpan.FromSeconds(30), ctx.RequestAborted));
        await stub.StartAsync();

        using var app = service.WithWebHostBuilder(b =>
        {
            b.UseSetting("Pipeline:RequestTimeoutSeconds", "0.5");
            b.UseSetting("Lmm:Default", "slow");
            b.UseSetting("Lmm:Providers:slow:Kind", "openai");
            b.UseSetting("Lmm:Providers:slow:Model", "slow");
            b.UseSetting("Lmm:Providers:slow:ApiKey", "k");
            b.UseSetting("Lmm:Providers:slow:Endpoint", stub.Urls.First() + "/v1");
        });
        using var client = app.CreateClient();
        for (var i = 0; i < 300 && !(await client.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode; i++) await Task.Delay(100);
        using var response = await client.PostAsJsonAsync(new Uri("/v1/geolocate", UriKind.Relative),
            new { image = Convert.ToBase64String(File.ReadAllBytes(TestPaths.Fixture("images", "landscape.jpg"))) });
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("deadline_exceeded", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
    }
}
