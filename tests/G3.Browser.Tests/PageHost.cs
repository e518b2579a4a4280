using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace G3.Browser.Tests;

/// <summary>
/// The real host on Kestrel (a browser needs a socket), configured as the embedded default: the bundled
/// g3-mini model, an embedded store that the host's own first start builds from a small synthetic world.
/// </summary>
internal sealed class PageHost : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string> _settings;

    public PageHost(IReadOnlyDictionary<string, string> settings)
    {
        _settings = settings;
        UseKestrel(0);
    }

    public Uri BaseAddress { get; private set; } = null!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    /// <summary>Starts the server and waits until /readyz says ready (the first start generates and indexes the world).</summary>
    public async Task StartAsync()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/");
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var last = "";
        for (var i = 0; i < 1200; i++)
        {
            using var r = await http.GetAsync(new Uri("readyz", UriKind.Relative));
            last = await r.Content.ReadAsStringAsync();
            if (r.IsSuccessStatusCode) return;
            if (last.Contains("\"failed\"", StringComparison.Ordinal)) throw new InvalidOperationException("the host failed to start: " + last);
            await Task.Delay(250);
        }
        throw new TimeoutException("the host did not become ready: " + last);
    }

    /// <summary>The same question the page asks, through the API directly, without streaming: the reference the page is checked against.</summary>
    public async Task<JsonElement> AskAsync(object[] messages)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        using var response = await http.PostAsJsonAsync(new Uri("v1/chat/completions", UriKind.Relative), new { model = "g3", messages });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
