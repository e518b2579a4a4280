using G3.Diversification.Providers;
using G3.Diversification.Tests.Stubs;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Tests.Resilience;

/// <summary>Retries (and the per-attempt timeout) through a registry's fully decorated client against stub servers.</summary>
public sealed class RetryTests
{
    private static Task Ok(Microsoft.AspNetCore.Http.HttpContext ctx) => StubReplies.OpenAIChoices(ctx, "gpt-4o-stub", "{\"city\":\"Paris\"}");

    [Fact]
    public async Task A_429_is_retried_after_the_servers_retry_after()
    {
        var name = StubProviders.UniqueName("rl");
        using var metrics = new MetricsCollector(name);
        await using var server = await StubLmmServer.StartAsync((ctx, r) => r.Number == 1 ? StubReplies.Error(ctx, 429, "rate limited", retryAfter: "1") : Ok(ctx));
        using var registry = StubProviders.Registry((name, StubProviders.OpenAI(server, StubProviders.Fast())));

        var response = await registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt());

        Assert.Equal("{\"city\":\"Paris\"}", response.Text);
        var requests = server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].ArrivedAt - requests[0].ArrivedAt >= TimeSpan.FromSeconds(0.8), "the retry came before Retry-After");
        Assert.Equal(1, metrics["g3.lmm.retries"]);
        Assert.Equal(2, metrics["g3.lmm.calls"]);
        Assert.Equal(2, metrics["g3.lmm.call.duration"]);
    }

    [Fact]
    public async Task A_very_long_retry_after_is_capped()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, r) => r.Number == 1 ? StubReplies.Error(ctx, 503, "maintenance", retryAfter: "600") : Ok(ctx));
        using var registry = StubProviders.Registry(("p", StubProviders.OpenAI(server, StubProviders.Fast(maxRetryAfter: TimeSpan.FromMilliseconds(100)))));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20)); // an uncapped wait fails here instead of hanging

        await registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt(), cancellationToken: deadline.Token);

        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Server_errors_are_retried_until_one_succeeds()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, r) => r.Number switch
        {
            1 => StubReplies.Error(ctx, 500, "boom"),
            2 => StubReplies.Error(ctx, 503, "overloaded"),
            _ => Ok(ctx),
        });
        using var registry = StubProviders.Registry(("p", StubProviders.OpenAI(server, StubProviders.Fast(retries: 2))));

        var response = await registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt());

        Assert.Equal("{\"city\":\"Paris\"}", response.Text);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task When_retries_run_out_the_last_error_surfaces()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.Error(ctx, 502, "bad gateway"));
        using var registry = StubProviders.Registry(("p", StubProviders.OpenAI(server, StubProviders.Fast(retries: 2))));

        var e = await Assert.ThrowsAsync<LmmProviderException>(() => registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.Equal(502, e.StatusCode);
        Assert.Equal(3, server.Requests.Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Request_errors_are_never_retried(int status)
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.Error(ctx, status, "no"));
        using var registry = StubProviders.Registry(("p", StubProviders.OpenAI(server, StubProviders.Fast(retries: 3))));

        var e = await Assert.ThrowsAsync<LmmProviderException>(() => registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.Equal(status, e.StatusCode);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_slow_attempt_times_out_and_the_retry_answers()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, r) => r.Number == 1 ? StubReplies.Slow(ctx, TimeSpan.FromSeconds(10), Ok) : Ok(ctx));
        using var registry = StubProviders.Registry(("p", StubProviders.OpenAI(server, StubProviders.Fast(timeout: TimeSpan.FromMilliseconds(300)))));

        var response = await registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt());

        Assert.Equal("{\"city\":\"Paris\"}", response.Text);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_timeout_on_every_attempt_is_a_transient_error_that_says_so()
    {
        var name = StubProviders.UniqueName("to");
        using var metrics = new MetricsCollector(name);
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.Slow(ctx, TimeSpan.FromSeconds(10), Ok));
        using var registry = StubProviders.Registry((name, StubProviders.Ollama(server, StubProviders.Fast(retries: 1, timeout: TimeSpan.FromMilliseconds(200)))));

        var e = await Assert.ThrowsAsync<LmmProviderException>(() => registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.True(e.IsTransient);
        Assert.Contains("did not answer within 0.2 s", e.Message);
        // Counted on the client: on a loaded machine the second attempt can time out before its request reaches the stub.
        Assert.Equal(1, metrics["g3.lmm.retries"]);
        Assert.Equal(2, metrics["g3.lmm.calls"]);
        Assert.InRange(server.Requests.Count, 1, 2);
    }

    [Fact]
    public async Task A_reset_connection_is_retried()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, r) => r.Number == 1 ? StubReplies.Abort(ctx) : StubReplies.OllamaMessage(ctx, "llava-stub", "Kyoto"));
        using var registry = StubProviders.Registry(("p", StubProviders.Ollama(server, StubProviders.Fast())));

        var response = await registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt());

        Assert.Equal("Kyoto", response.Text);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Empty_choices_are_retried_but_malformed_json_is_not()
    {
        await using var empty = await StubLmmServer.StartAsync((ctx, r) => r.Number == 1 ? StubReplies.Raw(ctx, 200, "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[]}") : Ok(ctx));
        await using var malformed = await StubLmmServer.StartAsync((ctx, _) => StubReplies.Raw(ctx, 200, "not json"));
        using var registry = StubProviders.Registry(("empty", StubProviders.OpenAI(empty, StubProviders.Fast())), ("malformed", StubProviders.OpenAI(malformed, StubProviders.Fast())));

        var response = await registry.Get("empty").Client.GetResponseAsync(TestImages.GeolocationPrompt());
        await Assert.ThrowsAsync<LmmProviderException>(() => registry.Get("malformed").Client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.Equal("{\"city\":\"Paris\"}", response.Text);
        Assert.Equal(2, empty.Requests.Count);
        Assert.Single(malformed.Requests);
    }

    [Fact]
    public async Task Streaming_goes_through_the_same_resilient_path()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, r) => r.Number == 1 ? StubReplies.Error(ctx, 500, "boom") : Ok(ctx));
        using var registry = StubProviders.Registry(("p", StubProviders.OpenAI(server, StubProviders.Fast())));

        var response = await registry.Default.Client.GetStreamingResponseAsync(TestImages.GeolocationPrompt()).ToChatResponseAsync();

        Assert.Equal("{\"city\":\"Paris\"}", response.Text);
        Assert.Equal(2, server.Requests.Count);
    }
}
