using G3.Diversification.Providers;
using G3.Diversification.Tests.Stubs;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Tests.Providers;

/// <summary>The Ollama provider through HttpClient against a stub that speaks the native /api/chat.</summary>
public sealed class OllamaChatClientTests
{
    private static LmmProviderOptions Options(StubLmmServer server) => new()
    {
        Kind = LmmProviderKinds.Ollama,
        Model = "llava:13b",
        Endpoint = server.BaseUri,
        MaxTokens = 150,
        KeepAlive = "10m",
    };

    [Fact]
    public async Task Sends_images_as_plain_base64_and_sampling_as_model_options()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OllamaMessage(ctx, "llava:13b", "{\"country\":\"France\"}"));
        using var client = new OllamaChatClient("llava", Options(server));

        await client.GetResponseAsync(TestImages.GeolocationPrompt(), new ChatOptions { Temperature = 0.7f, Seed = 7 });

        var request = Assert.Single(server.Requests);
        Assert.Equal("/api/chat", request.Path);
        var body = request.Body;
        Assert.Equal("llava:13b", body.GetProperty("model").GetString());
        Assert.False(body.GetProperty("stream").GetBoolean());
        Assert.Equal("10m", body.GetProperty("keep_alive").GetString());
        var options = body.GetProperty("options");
        Assert.Equal(0.7, options.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(150, options.GetProperty("num_predict").GetInt32());
        Assert.Equal(7, options.GetProperty("seed").GetInt64());
        var messages = body.GetProperty("messages");
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        Assert.False(messages[0].TryGetProperty("images", out _));
        Assert.Equal("user", messages[1].GetProperty("role").GetString());
        Assert.StartsWith("Where was this photo taken?", messages[1].GetProperty("content").GetString());
        Assert.Equal(TestImages.RedSquareJpegBase64, Assert.Single(messages[1].GetProperty("images").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task Answers_one_choice_per_call_even_when_more_are_asked()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OllamaMessage(ctx, "llava:13b", "Paris"));
        using var client = new OllamaChatClient("llava", Options(server));

        var response = await client.GetResponseAsync(TestImages.GeolocationPrompt(), new ChatOptions { AdditionalProperties = new() { [ChatConventions.ChoiceCount] = 3 } });

        Assert.Equal("Paris", Assert.Single(response.Messages).Text);
        Assert.Single(server.Requests);
        Assert.Equal("llava:13b", response.ModelId);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(26, response.Usage?.InputTokenCount);
        Assert.Equal(298, response.Usage?.OutputTokenCount);
        Assert.Equal("llava", response.AdditionalProperties?[LmmResponseProperties.Provider]);
        Assert.Equal(3, response.AdditionalProperties?[LmmResponseProperties.RequestedChoices]);
        Assert.Equal(1, Options(server).MaxSamplesPerCall);
    }

    [Fact]
    public async Task Maps_a_missing_model_to_a_non_transient_404_with_ollamas_message()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OllamaError(ctx, 404, "model \"llava:13b\" not found, try pulling it first"));
        using var client = new OllamaChatClient("llava", Options(server));

        var e = await Assert.ThrowsAsync<LmmProviderException>(() => client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.Equal(404, e.StatusCode);
        Assert.False(e.IsTransient);
        Assert.Contains("try pulling it first", e.Message);
    }

    [Fact]
    public async Task Maps_503_with_an_http_date_retry_after()
    {
        var when = DateTimeOffset.UtcNow.AddSeconds(30).ToString("r");
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OllamaError(ctx, 503, "server busy", retryAfter: when));
        using var client = new OllamaChatClient("llava", Options(server));

        var e = await Assert.ThrowsAsync<LmmProviderException>(() => client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.Equal(503, e.StatusCode);
        Assert.True(e.IsTransient);
        Assert.InRange(e.RetryAfter!.Value, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(31));
    }

    [Fact]
    public async Task Malformed_json_and_dropped_connections_are_classified()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, r) => r.Number == 1 ? StubReplies.Raw(ctx, 200, "<html>proxy error</html>") : StubReplies.Abort(ctx));
        using var client = new OllamaChatClient("llava", Options(server));

        var malformed = await Assert.ThrowsAsync<LmmProviderException>(() => client.GetResponseAsync(TestImages.GeolocationPrompt()));
        var dropped = await Assert.ThrowsAsync<LmmProviderException>(() => client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.False(malformed.IsTransient);
        Assert.Contains("malformed", malformed.Message);
        Assert.True(dropped.IsTransient);
        Assert.Null(dropped.StatusCode);
    }

    [Fact]
    public async Task Image_urls_are_rejected_because_ollama_needs_bytes()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OllamaMessage(ctx, "m", "x"));
        using var client = new OllamaChatClient("llava", Options(server));
        var messages = new[] { new ChatMessage(ChatRole.User, [new TextContent("where?"), new UriContent("https://example.org/a.jpg", "image/jpeg")]) };

        var e = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(messages));

        Assert.Contains("DataContent", e.Message);
        Assert.Empty(server.Requests);
    }
}
