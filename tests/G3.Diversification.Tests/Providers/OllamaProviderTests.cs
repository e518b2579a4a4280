using G3.Diversification.Providers;
using G3.Diversification.Tests.Stubs;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Tests.Providers;

/// <summary>The ollama kind: OllamaSharp's OllamaApiClient as an IChatClient inside the provider pipeline, against a stub of /api/chat.</summary>
public sealed class OllamaProviderTests
{
    private static LmmProviderOptions Options(StubLmmServer server, string structured = StructuredOutputModes.Off) => new()
    {
        Kind = LmmProviderKinds.Ollama,
        Model = "llava:13b",
        Endpoint = server.BaseUri,
        KeepAlive = "10m",
        StructuredOutput = structured,
        Resilience = StubProviders.NoRetry(),
    };

    [Fact]
    public async Task Sends_images_as_plain_base64_sampling_as_model_options_and_its_own_model()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OllamaMessage(ctx, "llava:13b", "{\"country\":\"France\"}"));
        using var registry = StubProviders.Registry(("llava", Options(server)));

        await registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt(),
            new ChatOptions { ModelId = "gpt-4o", Temperature = 0.7f, MaxOutputTokens = 150, Seed = 7, ResponseFormat = ChatResponseFormat.Json });

        var request = Assert.Single(server.Requests);
        Assert.Equal("/api/chat", request.Path);
        var body = request.Body;
        Assert.Equal("llava:13b", body.GetProperty("model").GetString());
        Assert.False(body.GetProperty("stream").GetBoolean());
        Assert.Equal("10m", body.GetProperty("keep_alive").GetString());
        Assert.Equal("json", body.GetProperty("format").GetString());
        var options = body.GetProperty("options");
        Assert.Equal(0.7, options.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(150, options.GetProperty("num_predict").GetInt32());
        Assert.Equal(7, options.GetProperty("seed").GetInt64());
        var messages = body.GetProperty("messages");
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        Assert.Equal("user", messages[1].GetProperty("role").GetString());
        Assert.StartsWith("Where was this photo taken?", messages[1].GetProperty("content").GetString());
        Assert.Equal(TestImages.RedSquareJpegBase64, Assert.Single(messages[1].GetProperty("images").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task N_samples_become_n_calls_of_one_sample_each()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, r) => StubReplies.OllamaMessage(ctx, "llava:13b", $"Paris {r.Number}"));
        using var registry = StubProviders.Registry(("llava", Options(server)));

        // The client answers one choice per call ...
        var response = await registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt());
        Assert.Equal("Paris 1", Assert.Single(response.Messages).Text);
        Assert.Equal("llava:13b", response.ModelId);
        Assert.Equal("llava", response.AdditionalProperties?[LmmResponseProperties.Provider]);

        // ... and the generator, the one place N is split, asks Ollama once per sample.
        var generator = new G3.Diversification.Generation.LmmCandidateGenerator(registry.Kernel, registry.Default.Info,
            G3.Diversification.Prompts.PromptTemplates.Default, G3.Diversification.Caching.ResponseCache.Disabled);
        var candidates = await generator.GenerateAsync(new G3.Core.Ports.GenerationRequest(new G3.Core.Ports.QueryImage(TestImages.RedSquareJpeg),
            new G3.Core.Candidates.PromptVariant(0, 0), [], [], 0, 3, null, G3.Core.Candidates.PlaceGranularity.None), default);

        Assert.Equal(4, server.Requests.Count);
        Assert.Equal(["Paris 2", "Paris 3", "Paris 4"], candidates.Select(c => c.RawText).Order());
        Assert.Equal(1, registry.Default.Info.MaxSamplesPerCall);
    }

    [Fact]
    public async Task Maps_a_missing_model_to_a_non_transient_404_with_ollamas_message()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OllamaError(ctx, 404, "model \"llava:13b\" not found, try pulling it first"));
        using var registry = StubProviders.Registry(("llava", Options(server)));

        var e = await Assert.ThrowsAsync<LmmProviderException>(() => registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.Equal(404, e.StatusCode);
        Assert.False(e.IsTransient);
        Assert.Contains("try pulling it first", e.Message);
    }

    [Fact]
    public async Task Maps_429_with_an_http_date_retry_after()
    {
        var when = DateTimeOffset.UtcNow.AddSeconds(30).ToString("r");
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OllamaError(ctx, 429, "server busy", retryAfter: when));
        using var registry = StubProviders.Registry(("llava", Options(server)));

        var e = await Assert.ThrowsAsync<LmmProviderException>(() => registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.Equal(429, e.StatusCode);
        Assert.True(e.IsTransient);
        Assert.InRange(e.RetryAfter!.Value, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(31));
    }

    [Fact]
    public async Task Garbage_truncated_json_and_closed_connections_are_classified()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, r) => r.Number switch
        {
            1 => StubReplies.Raw(ctx, 200, "<html>proxy error</html>"),
            2 => StubReplies.Raw(ctx, 200, "{\"model\":\"llava:13b\",\"message\":{\"role\":\"assis"),
            _ => StubReplies.Abort(ctx),
        });
        using var registry = StubProviders.Registry(("llava", Options(server)));

        var garbage = await Assert.ThrowsAsync<LmmProviderException>(() => registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt()));
        var truncated = await Assert.ThrowsAsync<LmmProviderException>(() => registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt()));
        var closed = await Assert.ThrowsAsync<LmmProviderException>(() => registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.False(garbage.IsTransient);
        Assert.Contains("malformed", garbage.Message);
        Assert.False(truncated.IsTransient);
        Assert.True(closed.IsTransient);
        Assert.Null(closed.StatusCode);
    }
}
