using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using G3.Alignment.Imaging;
using G3.Host.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace G3.Host.Tests;

public class ImageFetcherTests
{
    private static readonly byte[] Jpeg = File.ReadAllBytes(TestPaths.Fixture("images", "landscape.jpg"));

    /// <summary>A tiny image server on 127.0.0.1: /photo.jpg, /redirect?to=URL, /big.</summary>
    private static async Task<(WebApplication App, string Base)> StartServerAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/photo.jpg", () => Results.Bytes(Jpeg, "image/jpeg"));
        app.MapGet("/redirect", (string to) => Results.Redirect(to));
        app.MapGet("/big", () => Results.Bytes(new byte[300_000], "image/jpeg"));
        await app.StartAsync();
        return (app, app.Urls.First());
    }

    private static bool OnlyLoopbackOne(IPAddress a) => a.Equals(IPAddress.Parse("127.0.0.1"));

    [Theory]
    [InlineData("http://127.0.0.1/x.jpg")]
    [InlineData("http://10.0.0.1/x.jpg")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::1]/x.jpg")]
    [InlineData("http://localhost/x.jpg")]
    [InlineData("http://192.168.1.1/x.jpg")]
    [InlineData("http://[::ffff:127.0.0.1]/x.jpg")]
    public async Task Private_loopback_link_local_and_metadata_addresses_are_refused_before_connecting(string url)
    {
        using var fetcher = new ImageFetcher(ImageLimits.Default, TimeSpan.FromSeconds(5));
        var ex = await Assert.ThrowsAsync<ImageUrlRefusedException>(() => fetcher.FetchAsync(url, default));
        Assert.Contains("does not fetch from", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://example.com/x.jpg")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://user:pw@example.com/x.jpg")]
    [InlineData("not a url")]
    public async Task Only_plain_http_and_https_URLs_are_accepted(string url)
    {
        using var fetcher = new ImageFetcher(ImageLimits.Default, TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<ImageUrlRefusedException>(() => fetcher.FetchAsync(url, default));
    }

    [Fact]
    public async Task An_allowed_host_is_fetched_and_a_redirect_to_a_refused_address_is_rechecked()
    {
        var (app, root) = await StartServerAsync();
        await using var _ = app;
        var port = new Uri(root).Port;
        using var fetcher = new ImageFetcher(ImageLimits.Default, TimeSpan.FromSeconds(5), OnlyLoopbackOne);

        var (bytes, type) = await fetcher.FetchAsync($"{root}/photo.jpg", default);
        Assert.Equal(Jpeg, bytes);
        Assert.Equal("image/jpeg", type);

        var (viaRedirect, _) = await fetcher.FetchAsync($"{root}/redirect?to={Uri.EscapeDataString($"{root}/photo.jpg")}", default);
        Assert.Equal(Jpeg, viaRedirect);

        var blocked = $"http://127.0.0.2:{port}/photo.jpg";
        var ex = await Assert.ThrowsAsync<ImageUrlRefusedException>(() => fetcher.FetchAsync($"{root}/redirect?to={Uri.EscapeDataString(blocked)}", default));
        Assert.Contains("127.0.0.2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_bodies_are_refused_as_too_large()
    {
        var (app, root) = await StartServerAsync();
        await using var _ = app;
        using var fetcher = new ImageFetcher(ImageLimits.Default with { MaxEncodedBytes = 100_000 }, TimeSpan.FromSeconds(5), OnlyLoopbackOne);
        var ex = await Assert.ThrowsAsync<ImageDecodeException>(() => fetcher.FetchAsync($"{root}/big", default));
        Assert.Equal(ImageDecodeErrorKind.TooLarge, ex.Kind);
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("100.64.0.1", false)]
    [InlineData("172.16.5.4", false)]
    [InlineData("fd00::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    public void The_address_policy_allows_public_unicast_only(string address, bool allowed) =>
        Assert.Equal(allowed, AddressPolicy.IsPublic(IPAddress.Parse(address)));
}

public class ImageUrlApiTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Theory]
    [InlineData("http://127.0.0.1:9/x.jpg")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    public async Task The_APIs_refuse_internal_image_URLs_with_400(string url)
    {
        using var client = await service.ReadyClientAsync();
        using var native = await client.PostAsJsonAsync(new Uri("/v1/geolocate", UriKind.Relative), new { image = url });
        Assert.Equal(HttpStatusCode.BadRequest, native.StatusCode);
        var error = (await native.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("image_url_refused", error.GetProperty("code").GetString());

        using var chat = await client.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative), new
        {
            model = "g3",
            messages = new[] { new { role = "user", content = new object[] { new { type = "image_url", image_url = new { url } } } } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, chat.StatusCode);
    }
}
