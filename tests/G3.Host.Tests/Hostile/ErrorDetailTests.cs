using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using G3.Alignment.Imaging;
using G3.Host.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace G3.Host.Tests.Hostile;

/// <summary>Internal detail stays in the log: the client gets a category, the field, a status.</summary>
public class ErrorDetailTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task Failed_candidates_carry_a_category_and_never_the_internal_endpoint()
    {
        using var dead = service.WithWebHostBuilder(b =>
        {
            // An LMM provider at a closed local port: every call fails with the socket's "Connection refused (127.0.0.1:9)".
            b.UseSetting("Lmm:Providers:dead:Kind", "ollama");
            b.UseSetting("Lmm:Providers:dead:Model", "llava");
            b.UseSetting("Lmm:Providers:dead:Endpoint", "http://127.0.0.1:9");
            b.UseSetting("Pipeline:GenerationDeadlineSeconds", "20");
        });
        using var client = dead.CreateClient();
        for (var i = 0; i < 300 && !(await client.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode; i++) await Task.Delay(100);
        var b64 = Convert.ToBase64String(File.ReadAllBytes(TestPaths.Fixture("images", "landscape.jpg")));
        using var response = await client.PostAsJsonAsync(new Uri("/v1/geolocate", UriKind.Relative),
            new { image = b64, provider = "dead", g3 = new { reference_counts = new[] { 0 }, samples_per_prompt = 1 } });
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var failed = JsonDocument.Parse(body).RootElement.GetProperty("failed_candidates");
        Assert.True(failed.GetArrayLength() > 0, body);
        Assert.All(failed.EnumerateArray(), c => Assert.Equal("provider_error", c.GetProperty("error").GetString()));
        Assert.DoesNotContain("127.0.0.1:9", body, StringComparison.Ordinal);
        Assert.DoesNotContain("refused", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Malformed_requests_are_logged_as_warnings_naming_the_field()
    {
        var logs = new CapturingLoggerProvider();
        using var logged = service.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        using var client = logged.CreateClient();
        for (var i = 0; i < 300 && !(await client.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode; i++) await Task.Delay(100);
        var body = HostileCases.ChatBody();
        body["n"] = -1;
        using var response = await client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative),
            new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("param n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unexpected_exception_is_a_500_in_the_error_shape_and_logged_with_it()
    {
        var logs = new CapturingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.AddProvider(logs);
        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = G3.Host.Apis.UnhandledErrors.WriteAsync });
        app.MapGet("/boom", string () => throw new InvalidOperationException("secret internal state"));
        await app.StartAsync();
        try
        {
            using var client = app.GetTestClient();
            using var response = await client.GetAsync(new Uri("/boom", UriKind.Relative));
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal("server_error", JsonDocument.Parse(text).RootElement.GetProperty("error").GetProperty("type").GetString());
            Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
            Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_URL_timeout_covers_a_body_that_trickles_after_the_headers()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/slow.jpg", async (HttpContext http) =>
        {
            http.Response.ContentType = "image/jpeg";
            await http.Response.StartAsync();
            for (var i = 0; i < 30 && !http.RequestAborted.IsCancellationRequested; i++)
            {
                await http.Response.Body.WriteAsync(new byte[] { 0xFF }, http.RequestAborted);
                await http.Response.Body.FlushAsync(http.RequestAborted);
                await Task.Delay(1000, http.RequestAborted);
            }
        });
        await app.StartAsync();
        try
        {
            using var fetcher = new ImageFetcher(ImageLimits.Default, TimeSpan.FromSeconds(2), _ => true);
            var ex = await Assert.ThrowsAsync<ImageUrlRefusedException>(() => fetcher.FetchAsync(app.Urls.First() + "/slow.jpg", default));
            Assert.Contains("timed out", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_failed_connection_is_reported_without_its_socket_text()
    {
        using var fetcher = new ImageFetcher(ImageLimits.Default, TimeSpan.FromSeconds(5), _ => true);
        var ex = await Assert.ThrowsAsync<ImageUrlRefusedException>(() => fetcher.FetchAsync("http://127.0.0.1:9/x.jpg", default));
        Assert.DoesNotContain("127.0.0.1", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("refused", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("127.0.0.1:9", ex.Detail, StringComparison.Ordinal); // kept for the log
    }
}

/// <summary>Keeps every log entry, for tests that check what the service logs.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public sealed record Entry(LogLevel Level, string Category, string Message, Exception? Exception);

    private readonly System.Collections.Concurrent.ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyCollection<Entry> Entries => _entries.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(logLevel, category, formatter(state, exception), exception));
    }
}
