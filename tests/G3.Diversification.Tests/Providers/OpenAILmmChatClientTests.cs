using G3.Diversification.Providers;
using G3.Diversification.Tests.Stubs;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Tests.Providers;

/// <summary>The OpenAI provider through the real SDK against a stub that speaks /v1/chat/completions.</summary>
public sealed class OpenAILmmChatClientTests
{
    private static LmmProviderOptions Options(StubLmmServer server, bool supportsN = true, string tokenField = "max_tokens") => new()
    {
        Kind = LmmProviderKinds.OpenAI,
        Model = "gpt-4o-stub",
        Endpoint = new Uri(server.BaseUri, "v1"),
        ApiKey = "sk-test",
        MaxTokens = 200,
        ImageDetail = "low",
        SupportsN = supportsN,
        TokenLimitField = tokenField,
    };

    private static ChatOptions Sampling(int n) => new()
    {
        Temperature = 0.7f,
        Seed = 42,
        AdditionalProperties = new() { [ChatConventions.ChoiceCount] = n },
    };

    [Fact]
    public async Task Sends_the_configured_request_with_the_image_as_a_data_url_and_n()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OpenAIChoices(ctx, "gpt-4o-2024-08-06", "a", "b", "c"));
        using var client = new OpenAILmmChatClient("gpt4o", Options(server));

        await client.GetResponseAsync(TestImages.GeolocationPrompt(), Sampling(3));

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer sk-test", request.Authorization);
        var body = request.Body;
        Assert.Equal("gpt-4o-stub", body.GetProperty("model").GetString());
        Assert.Equal(3, body.GetProperty("n").GetInt32());
        Assert.Equal(0.7, body.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(200, body.GetProperty("max_tokens").GetInt32());
        Assert.False(body.TryGetProperty("max_completion_tokens", out _));
        Assert.Equal(42, body.GetProperty("seed").GetInt64());

        var messages = body.GetProperty("messages");
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        var user = messages[1];
        Assert.Equal("user", user.GetProperty("role").GetString());
        var parts = user.GetProperty("content");
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
        using var client = new OpenAILmmChatClient("gpt4o", Options(server));

        var response = await client.GetResponseAsync(TestImages.GeolocationPrompt(), Sampling(3));

        Assert.Equal(["first", "second", "third"], response.Messages.Select(m => m.Text));
        Assert.All(response.Messages, m => Assert.Equal(ChatRole.Assistant, m.Role));
        Assert.Equal("gpt-4o-2024-08-06", response.ModelId);
        Assert.Equal("chatcmpl-stub", response.ResponseId);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(85, response.Usage?.InputTokenCount);
        Assert.Equal("gpt4o", response.AdditionalProperties?[LmmResponseProperties.Provider]);
        Assert.Equal(3, response.AdditionalProperties?[LmmResponseProperties.RequestedChoices]);
    }

    [Fact]
    public async Task Returns_what_came_when_the_server_sends_fewer_choices_than_asked()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OpenAIChoices(ctx, "m", "only one"));
        using var client = new OpenAILmmChatClient("gpt4o", Options(server));

        var response = await client.GetResponseAsync(TestImages.GeolocationPrompt(), Sampling(5));

        Assert.Equal("only one", Assert.Single(response.Messages).Text);
        Assert.Equal(5, response.AdditionalProperties?[LmmResponseProperties.RequestedChoices]);
    }

    [Fact]
    public async Task Omits_n_when_the_server_does_not_support_it_and_can_send_max_completion_tokens()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OpenAIChoices(ctx, "m", "x"));
        using var client = new OpenAILmmChatClient("vllm", Options(server, supportsN: false, tokenField: "max_completion_tokens"));

        await client.GetResponseAsync(TestImages.GeolocationPrompt(detail: "high"), Sampling(4));

        var body = Assert.Single(server.Requests).Body;
        Assert.False(body.TryGetProperty("n", out _));
        Assert.Equal(200, body.GetProperty("max_completion_tokens").GetInt32());
        Assert.False(body.TryGetProperty("max_tokens", out _));
        Assert.Equal("high", body.GetProperty("messages")[1].GetProperty("content")[1].GetProperty("image_url").GetProperty("detail").GetString());
        Assert.Equal(1, new LmmProviderOptions { SupportsN = false }.MaxSamplesPerCall);
    }

    [Fact]
    public async Task Appends_chat_completions_to_an_azure_style_v1_endpoint_with_a_trailing_slash()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OpenAIChoices(ctx, "m", "x"));
        using var client = new OpenAILmmChatClient("azure", Options(server) with { Endpoint = new Uri(server.BaseUri, "openai/v1/") });

        await client.GetResponseAsync(TestImages.GeolocationPrompt());

        Assert.Equal("/openai/v1/chat/completions", Assert.Single(server.Requests).Path);
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
        using var client = new OpenAILmmChatClient("gpt4o", Options(server));

        var e = await Assert.ThrowsAsync<LmmProviderException>(() => client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.Equal(status, e.StatusCode);
        Assert.Equal(transient, e.IsTransient);
        Assert.Equal("gpt4o", e.Provider);
        Assert.Contains("stub says no", e.Message);
        Assert.Single(server.Requests); // the SDK's own retries are off: the resilience layer owns retrying
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
        using var client = new OpenAILmmChatClient("gpt4o", Options(server));

        var seconds = await Assert.ThrowsAsync<LmmProviderException>(() => client.GetResponseAsync(TestImages.GeolocationPrompt()));
        var millis = await Assert.ThrowsAsync<LmmProviderException>(() => client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.Equal(TimeSpan.FromSeconds(7), seconds.RetryAfter);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), millis.RetryAfter);
    }

    [Fact]
    public async Task Malformed_json_is_a_non_transient_provider_error()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.Raw(ctx, 200, "{\"choices\": [ {\"index\": 0, \"mess"));
        using var client = new OpenAILmmChatClient("gpt4o", Options(server));

        var e = await Assert.ThrowsAsync<LmmProviderException>(() => client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.False(e.IsTransient);
        Assert.Contains("malformed", e.Message);
    }

    [Fact]
    public async Task Empty_choices_is_a_transient_provider_error()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.Raw(ctx, 200, "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[]}"));
        using var client = new OpenAILmmChatClient("gpt4o", Options(server));

        var e = await Assert.ThrowsAsync<LmmProviderException>(() => client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.True(e.IsTransient);
        Assert.Contains("no choices", e.Message);
    }

    [Fact]
    public async Task A_dropped_connection_is_a_transient_error_without_status()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.Abort(ctx));
        using var client = new OpenAILmmChatClient("gpt4o", Options(server));

        var e = await Assert.ThrowsAsync<LmmProviderException>(() => client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.True(e.IsTransient);
        Assert.Null(e.StatusCode);
    }

    [Fact]
    public async Task Rejects_non_image_attachments_with_a_clear_error()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OpenAIChoices(ctx, "m", "x"));
        using var client = new OpenAILmmChatClient("gpt4o", Options(server));
        var messages = new[] { new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1, 2 }, "application/pdf")]) };

        var e = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(messages));

        Assert.Contains("application/pdf", e.Message);
        Assert.Empty(server.Requests);
    }
}
