using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace G3.Host.Tests;

/// <summary>
/// The service's answers carry what the providers reported: /v1/chat/completions' <c>usage</c> (also as the last chunk
/// of a stream with stream_options.include_usage) and /v1/geolocate's usage per provider and model, against a stub of
/// each protocol (OpenAI, Azure OpenAI, Ollama) that reports usage as the real API does.
/// </summary>
public sealed class UsageTests(ServiceFixture service) : IClassFixture<ServiceFixture>, IDisposable
{
    private const string Answer = "{\"latitude\": 48.85, \"longitude\": 2.35}";
    private readonly string _cacheDir = Directory.CreateTempSubdirectory("g3-usage").FullName;

    public void Dispose() => Directory.Delete(_cacheDir, recursive: true);

    /// <summary>A stub of all three protocols that reports different usage on every call and adds up what it reported.</summary>
    private sealed class Stub : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _calls;
        private long _input, _output;

        private Stub(WebApplication app) => _app = app;

        public string Url => _app.Urls.First();
        public int Calls => Volatile.Read(ref _calls);
        public long Input => Interlocked.Read(ref _input);
        public long Output => Interlocked.Read(ref _output);

        public static async Task<Stub> StartAsync(bool reportUsage = true)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var stub = new Stub(app);
            var openAI = (Func<HttpContext, Task<IResult>>)(ctx => stub.OpenAIAsync(ctx, reportUsage));
            app.MapPost("/v1/chat/completions", openAI);
            app.MapPost("/openai/deployments/{deployment}/chat/completions", openAI);
            app.MapPost("/api/chat", () =>
            {
                var (input, output) = stub.Next(1);
                // Ollama's own fields: prompt_eval_count (input) and eval_count (output).
                return Results.Json(new { model = "llava:13b", created_at = "2024-01-01T00:00:00Z", message = new { role = "assistant", content = Answer }, done = true, done_reason = "stop", prompt_eval_count = input, eval_count = output });
            });
            await app.StartAsync();
            return stub;
        }

        private async Task<IResult> OpenAIAsync(HttpContext ctx, bool reportUsage)
        {
            using var body = await JsonDocument.ParseAsync(ctx.Request.Body);
            var n = body.RootElement.TryGetProperty("n", out var given) ? given.GetInt32() : 1;
            var choices = Enumerable.Range(0, n).Select(i => new { index = i, message = new { role = "assistant", content = Answer }, finish_reason = "stop" }).ToArray();
            if (!reportUsage)
                return Results.Json(new { id = "x", @object = "chat.completion", created = 1, model = "stub", choices });
            var (input, output) = Next(n);
            return Results.Json(new { id = "x", @object = "chat.completion", created = 1, model = "stub", choices, usage = new { prompt_tokens = input, completion_tokens = output, total_tokens = input + output } });
        }

        /// <summary>This call's usage, different on every call, added to the totals.</summary>
        private (int Input, int Output) Next(int answers)
        {
            var call = Interlocked.Increment(ref _calls);
            var usage = (Input: 500 + 13 * call, Output: 9 * answers + call);
            Interlocked.Add(ref _input, usage.Input);
            Interlocked.Add(ref _output, usage.Output);
            return usage;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task<HttpClient> ServiceAsync(Stub stub, string kind, bool cache = false)
    {
        var app = service.WithWebHostBuilder(b =>
        {
            b.UseSetting("Lmm:Default", "stub");
            b.UseSetting("Lmm:Providers:stub:Kind", kind);
            b.UseSetting("Lmm:Providers:stub:Model", kind == "ollama" ? "llava:13b" : "gpt-4o");
            b.UseSetting("Lmm:Providers:stub:Resilience:Retry:MaxRetries", "0");
            switch (kind)
            {
                case "openai":
                    b.UseSetting("Lmm:Providers:stub:ApiKey", "k");
                    b.UseSetting("Lmm:Providers:stub:Endpoint", stub.Url + "/v1");
                    break;
                case "azure-openai":
                    b.UseSetting("Lmm:Providers:stub:ApiKey", "k");
                    b.UseSetting("Lmm:Providers:stub:Endpoint", stub.Url);
                    b.UseSetting("Lmm:Providers:stub:Deployment", "g3-gpt4o");
                    b.UseSetting("Lmm:Providers:stub:ApiVersion", "2024-10-21");
                    break;
                default:
                    b.UseSetting("Lmm:Providers:stub:Endpoint", stub.Url);
                    break;
            }
            b.UseSetting("Pipeline:SamplesPerPrompt", "2");
            if (cache)
            {
                b.UseSetting("Cache:Mode", "ReadWrite");
                b.UseSetting("Cache:Directory", _cacheDir);
            }
        });
        return await app.CreateClient().WhenReadyAsync();
    }

    private static object Photo(string file = "landscape.jpg") => new
    {
        role = "user",
        content = new object[] { new { type = "image_url", image_url = new { url = "data:image/jpeg;base64," + Convert.ToBase64String(File.ReadAllBytes(TestPaths.Fixture("images", file))) } } },
    };

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return json;
    }

    private static void AssertUsage(long? input, long? output, JsonElement usage)
    {
        Assert.Equal(input, usage.GetProperty("prompt_tokens").ValueKind == JsonValueKind.Null ? null : usage.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(output, usage.GetProperty("completion_tokens").ValueKind == JsonValueKind.Null ? null : usage.GetProperty("completion_tokens").GetInt64());
        Assert.Equal(input + output, usage.GetProperty("total_tokens").ValueKind == JsonValueKind.Null ? null : usage.GetProperty("total_tokens").GetInt64());
    }

    public static TheoryData<string> Kinds => ["openai", "azure-openai", "ollama"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task The_completions_usage_is_the_sum_the_stub_reported_and_a_cached_answer_counts_zero(string kind)
    {
        await using var stub = await Stub.StartAsync();
        using var client = await ServiceAsync(stub, kind, cache: true);

        var first = await PostAsync(client, "/v1/chat/completions", new { model = "g3", messages = new[] { Photo() } });

        Assert.True(stub.Calls > 0);
        AssertUsage(stub.Input, stub.Output, first.GetProperty("usage"));
        var line = Assert.Single(first.GetProperty("g3").GetProperty("usage").GetProperty("by_model").EnumerateArray());
        // Every call the stub answered is counted (variants whose prompts come out the same share answers, counted apart).
        Assert.Equal(stub.Calls, line.GetProperty("calls").GetInt32());

        // The same photo again: answered from the response cache, no call made, zero tokens, the answers counted apart.
        var calls = stub.Calls;
        var second = await PostAsync(client, "/v1/chat/completions", new { model = "g3", messages = new[] { Photo() } });

        Assert.Equal(calls, stub.Calls);
        AssertUsage(0, 0, second.GetProperty("usage"));
        var cached = Assert.Single(second.GetProperty("g3").GetProperty("usage").GetProperty("by_model").EnumerateArray());
        Assert.Equal(0, cached.GetProperty("calls").GetInt32());
        Assert.True(cached.GetProperty("cached_answers").GetInt32() > 0);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_stream_with_include_usage_ends_with_a_chunk_holding_the_sum_the_stub_reported(string kind)
    {
        await using var stub = await Stub.StartAsync();
        using var client = await ServiceAsync(stub, kind);

        using var response = await client.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative),
            new { model = "g3", stream = true, stream_options = new { include_usage = true }, messages = new[] { Photo("gray.jpg") } });
        var events = (await response.Content.ReadAsStringAsync()).Split('\n')
            .Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l[6..]).ToList();

        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        var last = chunks[^1];
        Assert.Equal(0, last.GetProperty("choices").GetArrayLength());
        AssertUsage(stub.Input, stub.Output, last.GetProperty("usage"));
        // Every other chunk says "usage": null, as OpenAI's stream does.
        Assert.All(chunks[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind));
        Assert.Contains(chunks, c => c.GetProperty("choices").GetArrayLength() == 1 && c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind == JsonValueKind.String);
    }

    [Fact]
    public async Task A_stream_without_include_usage_has_no_usage_chunk()
    {
        await using var stub = await Stub.StartAsync();
        using var client = await ServiceAsync(stub, "openai");

        using var response = await client.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative), new { model = "g3", stream = true, messages = new[] { Photo("gray.jpg") } });
        var events = (await response.Content.ReadAsStringAsync()).Split('\n')
            .Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l[6..]).ToList();

        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.All(chunks, c => Assert.False(c.TryGetProperty("usage", out _)));
        Assert.All(chunks, c => Assert.Equal(1, c.GetProperty("choices").GetArrayLength()));
    }

    [Fact]
    public async Task Stream_options_on_a_request_that_does_not_stream_is_a_400()
    {
        using var client = await service.ReadyClientAsync();
        using var response = await client.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative),
            new { model = "g3", stream_options = new { include_usage = true }, messages = new[] { Photo() } });

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("stream_options", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task A_provider_that_reports_no_usage_is_null_not_zero()
    {
        await using var stub = await Stub.StartAsync(reportUsage: false);
        using var client = await ServiceAsync(stub, "openai");

        var answer = await PostAsync(client, "/v1/chat/completions", new { model = "g3", messages = new[] { Photo() } });

        AssertUsage(null, null, answer.GetProperty("usage"));
    }

    [Fact]
    public async Task Geolocate_reports_usage_per_provider_and_model()
    {
        await using var stub = await Stub.StartAsync();
        using var client = await ServiceAsync(stub, "ollama");

        var answer = await PostAsync(client, "/v1/geolocate", new { image = Convert.ToBase64String(File.ReadAllBytes(TestPaths.Fixture("images", "landscape.jpg"))) });

        var usage = answer.GetProperty("usage");
        Assert.Equal(stub.Input, usage.GetProperty("input_tokens").GetInt64());
        Assert.Equal(stub.Output, usage.GetProperty("output_tokens").GetInt64());
        var line = Assert.Single(usage.GetProperty("by_model").EnumerateArray());
        Assert.Equal(("stub", "llava:13b", stub.Calls), (line.GetProperty("provider").GetString(), line.GetProperty("model").GetString(),
            line.GetProperty("calls").GetInt32()));
        Assert.Equal(stub.Input + stub.Output, line.GetProperty("total_tokens").GetInt64());
    }
}
