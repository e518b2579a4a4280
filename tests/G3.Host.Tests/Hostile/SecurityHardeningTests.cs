using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using G3.Host.Composition;
using G3.Host.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace G3.Host.Tests.Hostile;

/// <summary>Keys decided from every way of binding, failed keys limited, browsers kept out by default.</summary>
public class SecurityHardeningTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private WebApplicationFactory<Program> With(params (string Key, string Value)[] settings) => factory.WithWebHostBuilder(b =>
    {
        b.UseSetting("Model:Manifest", "absent/manifest.json");
        b.UseSetting("FirstStart:BuildEmbeddedStore", "false");
        foreach (var (k, v) in settings) b.UseSetting(k, v);
    });

    [Theory]
    [InlineData("--Kestrel:Endpoints:Http:Url=http://0.0.0.0:18091")]
    [InlineData("--Kestrel:Endpoints:Lan:Url=http://[::]:18092")]
    [InlineData("--http_ports=18093")]
    public void Binding_beyond_loopback_through_Kestrel_endpoints_or_ports_without_a_key_refuses_to_start(string binding)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => G3.Host.Hosting.ServiceHost.Build([binding, "--FirstStart:BuildEmbeddedStore=false"]));
        Assert.Contains("G3_Security__ApiKeys__0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Kestrel_endpoint_on_all_interfaces_requires_the_key()
    {
        var app = G3.Host.Hosting.ServiceHost.Build(["--Kestrel:Endpoints:Http:Url=http://0.0.0.0:0", "--Security:ApiKeys:0=k-1",
            "--FirstStart:BuildEmbeddedStore=false", "--Model:Manifest=absent/manifest.json", "--RateLimits:PermitsPerMinute=0"]);
        await app.StartAsync();
        try
        {
            var port = new Uri(app.Urls.First().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)).Port;
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            using var anonymous = await client.GetAsync(new Uri("/v1/models", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            using var keyed = new HttpRequestMessage(HttpMethod.Get, "/v1/models") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "k-1") } };
            using var authorised = await client.SendAsync(keyed);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, authorised.StatusCode); // through the key check; no model here
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(new[] { "http://[::]:5000" }, true)]
    [InlineData(new[] { "http://0.0.0.0:5000" }, true)]
    [InlineData(new[] { "http://127.0.0.1:5000", "http://192.168.1.4:5000" }, true)]
    [InlineData(new[] { "http://127.0.0.1:5000", "http://[::1]:5001", "http://localhost:5002" }, false)]
    public void The_auto_rule_is_decided_from_the_bound_addresses(string[] bound, bool required)
    {
        var withKey = new ApiKeyGate(new SecuritySettings { ApiKeys = ["k"] }, []);
        Assert.True(withKey.DecideFromBoundAddresses(bound, []));
        Assert.Equal(required, withKey.KeysRequired);
        var withoutKey = new ApiKeyGate(new SecuritySettings(), []);
        Assert.Equal(!required, withoutKey.DecideFromBoundAddresses(bound, []));
    }

    [Fact]
    public void A_misspelt_RequireApiKey_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => new ApiKeyGate(new SecuritySettings { RequireApiKey = "ture" }, []));

    [Fact]
    public async Task Wrong_keys_count_against_the_client_and_lock_it_out_with_429()
    {
        using var app = With(("Security:RequireApiKey", "true"), ("Security:ApiKeys:0", "right"), ("RateLimits:PermitsPerMinute", "0"),
            ("RateLimits:FailedKeyAttemptsPerMinute", "3"));
        using var client = app.CreateClient();
        async Task<HttpResponseMessage> Send(string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key) } };
            return await client.SendAsync(request);
        }
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await Send("guess-" + i)).StatusCode);
        using var locked = await Send("guess-4");
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.NotNull(locked.Headers.RetryAfter);
        Assert.Equal("too_many_failed_keys", (await locked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        // While locked out, even the right key is not checked: guessing gains nothing.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Send("right")).StatusCode);
    }

    [Fact]
    public async Task The_rate_limit_applies_to_every_spelling_of_the_path()
    {
        using var app = With(("RateLimits:PermitsPerMinute", "2"), ("RateLimits:Burst", "2"));
        using var client = app.CreateClient();
        var statuses = new List<HttpStatusCode>();
        foreach (var path in new[] { "/v1/models", "/V1/models", "/V1/MODELS", "/v1/Models" })
        {
            using var r = await client.GetAsync(new Uri(path, UriKind.Relative));
            statuses.Add(r.StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task By_default_no_CORS_headers_and_cross_origin_posts_are_refused()
    {
        using var app = With(("RateLimits:PermitsPerMinute", "0"));
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/geolocate")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "image", "a.jpg" } },
            Headers = { { "Origin", "https://evil.example" } },
        };
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal("origin_not_allowed", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());

        // A plain-text chat post (what a page can send without a preflight) is refused too.
        using var text = await client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), new StringContent("{\"model\":\"g3\"}", Encoding.UTF8, "text/plain"));
        Assert.NotEqual(HttpStatusCode.OK, text.StatusCode);

        // The service's own origin (its chat page) passes the guard (and meets the not-ready answer here).
        using var same = new HttpRequestMessage(HttpMethod.Get, "/v1/models") { Headers = { { "Origin", "http://localhost" } } };
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.SendAsync(same)).StatusCode);
    }

    [Fact]
    public async Task A_configured_origin_gets_CORS_headers_and_passes()
    {
        using var app = With(("RateLimits:PermitsPerMinute", "0"), ("Security:CorsOrigins:0", "https://app.example"));
        using var client = app.CreateClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/chat/completions")
        {
            Headers = { { "Origin", "https://app.example" }, { "Access-Control-Request-Method", "POST" }, { "Access-Control-Request-Headers", "content-type" } },
        };
        using var answer = await client.SendAsync(preflight);
        Assert.Equal("https://app.example", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        using var get = new HttpRequestMessage(HttpMethod.Get, "/v1/models") { Headers = { { "Origin", "https://app.example" } } };
        using var allowed = await client.SendAsync(get);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, allowed.StatusCode);
        Assert.Equal("https://app.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Theory]
    [InlineData("64:ff9b::7f00:1", false)]     // NAT64 to 127.0.0.1
    [InlineData("64:ff9b::a00:1", false)]      // NAT64 to 10.0.0.1
    [InlineData("64:ff9b::a9fe:a9fe", false)]  // NAT64 to the metadata address
    [InlineData("64:ff9b::808:808", true)]     // NAT64 to a public address: what NAT64 is for
    [InlineData("64:ff9b:1::a00:1", false)]    // local-use NAT64
    [InlineData("2002:7f00:1::", false)]       // 6to4 around 127.0.0.1
    [InlineData("2002:808:808::1", false)]     // 6to4 at all
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", false)] // Teredo
    [InlineData("::7f00:1", false)]            // IPv4-compatible 127.0.0.1
    [InlineData("::808:808", false)]           // IPv4-compatible at all
    [InlineData("198.51.100.7", false)]        // documentation
    [InlineData("203.0.113.9", false)]         // documentation
    [InlineData("2606:4700:4700::1111", true)] // ordinary public IPv6
    public void The_address_policy_refuses_IPv6_forms_that_reach_IPv4_inside(string address, bool allowed) =>
        Assert.Equal(allowed, AddressPolicy.IsPublic(IPAddress.Parse(address)));
}
