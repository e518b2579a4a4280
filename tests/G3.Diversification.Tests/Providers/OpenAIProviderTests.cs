using G3.Diversification.Providers;
using G3.Diversification.Tests.Stubs;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Tests.Providers;

/// <summary>
/// The openai and openai-compatible kinds: the official OpenAI SDK (through Microsoft.Extensions.AI.OpenAI) inside the
/// registry's provider pipeline, against a stub that speaks /v1/chat/completions.
/// </summary>
public sealed class OpenAIProviderTests
{
    private static LmmProviderOptions Options(StubLmmServer server, string kind = LmmProviderKinds.OpenAI, bool supportsN = true, string tokenField = "max_tokens") => new()
    {
        Kind = kind,
        Model = "gpt-4o-stub",
        Endpoint = new Uri(server.BaseUri, "v1"),
        ApiKey = "sk-test",
        SupportsN = supportsN,
        TokenLimitField = tokenField,
        Resilience = StubProviders.NoRetry(),
    };

    private static ChatOptions Sampling(int n, string? detail = "low") => new LmmCallSettings { Choices = n, ImageDetail = detail }.ApplyTo(new ChatOptions
    {
        Temperature = 0.7f,
        MaxOutputTokens = 200,
        Seed = 42,
        ModelId = "some-other-model", // the provider pins its own model
    });

    [Fact]
    public async Task Sends_one_request_with_n_the_image_as_a_data_url_and_the_prompt_settings()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OpenAIChoices(ctx, "gpt-4o-2024-08-06", "a", "b", "c"));
        using var registry = StubProviders.Registry(("gpt4o", Options(server)));

        await registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt(), Sampling(3));

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer sk-test", request.Authorization);
        var body = request.Body;
        Assert.Equal("gpt-4o-stub", body.GetProperty("model").GetString());
        Assert.Equal(3, body.GetProperty("n").GetInt32());
        Assert.Equal(0.7, body.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(200, body.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal(42, body.GetProperty("seed").GetInt64());

        var messages = body.GetProperty("messages");
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        var parts = messages[1].GetProperty("content");
        Assert.Equal("text", parts[0].GetProperty("type").GetString());
        Assert.Equal("image_url", parts[1].GetProperty("type").GetString());
        var imageUrl = parts[1].GetProperty("image_url");
        Assert.Equal("data:image/jpeg;base64," + TestImages.RedSquareJpegBase64, imageUrl.GetProperty("url").GetString());
        Assert.Equal("low", imageUrl.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Returns_one_message_per_choice_with_model_usage_and_provider()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OpenAIChoices(ctx, "gpt-4o-2024-08-06", "first", "second", "third"));
        using var registry = StubProviders.Registry(("gpt4o", Options(server)));

        var response = await registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt(), Sampling(3));

        Assert.Equal(["first", "second", "third"], response.Messages.Select(m => m.Text));
        Assert.All(response.Messages, m => Assert.Equal(ChatRole.Assistant, m.Role));
        Assert.Equal("gpt-4o-2024-08-06", response.ModelId);
        Assert.Equal(85, response.Usage?.InputTokenCount);
        Assert.Equal("gpt4o", response.AdditionalProperties?[LmmResponseProperties.Provider]);
        Assert.Equal("gpt-4o-stub", response.AdditionalProperties?[LmmResponseProperties.Model]);
        Assert.Equal(3, response.AdditionalProperties?[LmmResponseProperties.RequestedChoices]);
    }

    [Fact]
    public async Task Returns_what_came_when_the_server_sends_fewer_choices_than_asked()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OpenAIChoices(ctx, "m", "only one"));
        using var registry = StubProviders.Registry(("gpt4o", Options(server)));

        var response = await registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt(), Sampling(5));

        Assert.Equal("only one", Assert.Single(response.Messages).Text);
    }

    [Fact]
    public async Task An_openai_compatible_server_gets_max_tokens_and_without_n_one_call_per_choice()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, r) => StubReplies.OpenAIChoices(ctx, "llava-vllm", $"answer {r.Number}"));
        using var registry = StubProviders.Registry(("vllm", Options(server, LmmProviderKinds.OpenAICompatible, supportsN: false)));

        // The client sends what it is given (one choice, max_tokens, the image's detail) ...
        var response = await registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt(detail: "high"), Sampling(1));
        Assert.Equal("answer 1", Assert.Single(response.Messages).Text);
        Assert.Equal("high", server.Requests[0].Body.GetProperty("messages")[1].GetProperty("content")[1].GetProperty("image_url").GetProperty("detail").GetString());

        // ... and the generator, the one place N is split, asks a provider without n once per sample.
        var generator = new G3.Diversification.Generation.LmmCandidateGenerator(registry.Kernel, registry.Default.Info,
            G3.Diversification.Prompts.PromptTemplates.Default, G3.Diversification.Caching.ResponseCache.Disabled);
        var candidates = await generator.GenerateAsync(new G3.Core.Ports.GenerationRequest(new G3.Core.Ports.QueryImage(TestImages.RedSquareJpeg),
            new G3.Core.Candidates.PromptVariant(0, 0), [], [], 0, 3, null, G3.Core.Candidates.PlaceGranularity.None), default);

        Assert.Equal(4, server.Requests.Count);
        Assert.Equal(3, candidates.Count(c => c.RawText is { } t && t.StartsWith("answer ", StringComparison.Ordinal)));
        foreach (var body in server.Requests.Select(r => r.Body))
        {
            Assert.False(body.TryGetProperty("n", out _));
            Assert.Equal(200, body.GetProperty("max_tokens").GetInt32());
            Assert.False(body.TryGetProperty("max_completion_tokens", out _));
        }
        Assert.Equal(1, registry.Default.Info.MaxSamplesPerCall);
    }

    [Theory]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    public async Task Maps_error_statuses_with_the_server_message(int status, bool transient)
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.Error(ctx, status, "stub says no"));
        using var registry = StubProviders.Registry(("gpt4o", Options(server)));

        var e = await Assert.ThrowsAsync<LmmProviderException>(() => registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.Equal(status, e.StatusCode);
        Assert.Equal(transient, e.IsTransient);
        Assert.Equal("gpt4o", e.Provider);
        Assert.Contains("stub says no", e.Message);
        Assert.Single(server.Requests); // the SDK's own retries are off: the provider pipeline owns retrying
    }

    [Fact]
    public async Task Parses_retry_after_in_seconds_and_retry_after_ms()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, r) =>
        {
            if (r.Number == 2)
                ctx.Response.Headers["retry-after-ms"] = "1500";
            return StubReplies.Error(ctx, 429, "slow down", retryAfter: "7");
        });
        using var registry = StubProviders.Registry(("gpt4o", Options(server)));

        var seconds = await Assert.ThrowsAsync<LmmProviderException>(() => registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt()));
        var millis = await Assert.ThrowsAsync<LmmProviderException>(() => registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.Equal(TimeSpan.FromSeconds(7), seconds.RetryAfter);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), millis.RetryAfter);
    }

    [Theory]
    [InlineData("{\"choices\": [ {\"index\": 0, \"mess")] // truncated JSON
    [InlineData("<html>502 Bad Gateway</html>")]          // garbage text with a 200
    public async Task A_broken_body_is_a_non_transient_malformed_response(string body)
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.Raw(ctx, 200, body));
        using var registry = StubProviders.Registry(("gpt4o", Options(server)));

        var e = await Assert.ThrowsAsync<LmmProviderException>(() => registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.False(e.IsTransient);
        Assert.Contains("malformed", e.Message);
    }

    [Fact]
    public async Task Empty_choices_is_a_transient_provider_error()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.Raw(ctx, 200, "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[]}"));
        using var registry = StubProviders.Registry(("gpt4o", Options(server)));

        var e = await Assert.ThrowsAsync<LmmProviderException>(() => registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.True(e.IsTransient);
        Assert.Contains("no choices", e.Message);
    }

    [Fact]
    public async Task A_closed_connection_is_a_transient_error_without_status()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.Abort(ctx));
        using var registry = StubProviders.Registry(("gpt4o", Options(server)));

        var e = await Assert.ThrowsAsync<LmmProviderException>(() => registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.True(e.IsTransient);
        Assert.Null(e.StatusCode);
    }
}
