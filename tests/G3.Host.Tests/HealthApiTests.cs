using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace G3.Host.Tests;

public class HealthApiTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task Readyz_is_503_with_the_reason_while_the_model_is_missing_and_liveness_stays_200()
    {
        using var app = factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Model:Manifest", "does/not/exist/manifest.json");
            b.UseSetting("FirstStart:BuildEmbeddedStore", "false");
        });
        using var client = app.CreateClient();
        string body = "";
        for (var i = 0; i < 100 && !body.Contains("failed", StringComparison.Ordinal); i++)
        {
            using var r = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
            body = await r.Content.ReadAsStringAsync();
            await Task.Delay(50);
        }
        Assert.Contains("does/not/exist/manifest.json", body, StringComparison.Ordinal);
        using var live = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var geolocate = await client.PostAsync(new Uri("/v1/geolocate", UriKind.Relative), new ByteArrayContent([1, 2, 3]));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, geolocate.StatusCode);
    }

    [Fact]
    public async Task Healthz_answers_200_alive()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();
        Assert.Equal("alive", body!["status"]);
    }

    [Fact]
    public async Task Unknown_routes_are_404()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/nope", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

public class OpenApiDocumentTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task The_native_API_is_described_by_an_OpenAPI_document()
    {
        using var client = factory.WithWebHostBuilder(b => b.UseSetting("FirstStart:BuildEmbeddedStore", "false")).CreateClient();
        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/v1/geolocate", "/v1/chat/completions", "/v1/models", "/healthz", "/readyz" })
            Assert.True(paths.TryGetProperty(path, out _), path);
    }
}
