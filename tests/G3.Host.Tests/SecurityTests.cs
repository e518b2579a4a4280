using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using G3.Host.Composition;
using G3.Host.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace G3.Host.Tests;

public class SecurityTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private WebApplicationFactory<Program> With(params (string Key, string Value)[] settings) => factory.WithWebHostBuilder(b =>
    {
        b.UseSetting("Model:Manifest", "absent/manifest.json");
        b.UseSetting("FirstStart:BuildEmbeddedStore", "false");
        foreach (var (k, v) in settings) b.UseSetting(k, v);
    });

    [Fact]
    public async Task Keys_are_checked_on_v1_routes_only()
    {
        using var app = With(("Security:RequireApiKey", "true"), ("Security:ApiKeys:0", "k-123"), ("RateLimits:PermitsPerMinute", "0"));
        using var client = app.CreateClient();

        using var missing = await client.GetAsync(new Uri("/v1/models", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("missing_api_key", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/v1/models") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "k-999") } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrong)).StatusCode);

        using var right = new HttpRequestMessage(HttpMethod.Get, "/v1/models") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "k-123") } };
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.SendAsync(right)).StatusCode); // authorised; the model is absent

        using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Requests_past_the_rate_limit_get_429_with_Retry_After()
    {
        using var app = With(("RateLimits:PermitsPerMinute", "2"), ("RateLimits:Burst", "2"));
        using var client = app.CreateClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 4; i++)
        {
            var r = await client.GetAsync(new Uri("/v1/models", UriKind.Relative));
            statuses.Add(r.StatusCode);
            if (r.StatusCode == HttpStatusCode.TooManyRequests) limited = r;
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.NotNull(limited!.Headers.RetryAfter);
        Assert.Equal("rate_limit_exceeded", (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", false)]
    [InlineData("http://localhost:8080;http://[::1]:8081", false)]
    [InlineData("http://0.0.0.0:8080", true)]
    [InlineData("http://*:8080", true)]
    [InlineData("http://+:80", true)]
    [InlineData("http://192.168.1.20:8080", true)]
    [InlineData(null, false)]
    public void Keys_are_required_automatically_beyond_loopback(string? urls, bool required) =>
        Assert.Equal(required, new SecuritySettings().KeysRequired(urls));

    [Fact]
    public void Listening_on_all_interfaces_without_a_key_refuses_to_start()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => G3.Host.Hosting.ServiceHost.Build(["--urls", "http://0.0.0.0:18099", "--FirstStart:BuildEmbeddedStore=false"]));
        Assert.Contains("G3_Security__ApiKeys__0", ex.Message, StringComparison.Ordinal);
        // With a key it builds (and is not started here).
        var app = G3.Host.Hosting.ServiceHost.Build(["--urls", "http://0.0.0.0:18099", "--Security:ApiKeys:0=k", "--FirstStart:BuildEmbeddedStore=false"]);
        Assert.NotNull(app);
    }
}
