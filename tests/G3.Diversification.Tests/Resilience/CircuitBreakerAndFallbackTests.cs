using G3.Diversification.Providers;
using G3.Diversification.Resilience;
using G3.Diversification.Tests.Stubs;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Tests.Resilience;

public sealed class CircuitBreakerAndFallbackTests
{
    /// <summary>Opens after 2 calls with ≥ 50 % transient failures and stays open far longer than the test runs.</summary>
    private static readonly LmmCircuitBreakerOptions s_quickBreaker = new()
    {
        FailureRatio = 0.5,
        MinimumThroughput = 2,
        SamplingDuration = TimeSpan.FromSeconds(30),
        BreakDuration = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public async Task The_circuit_opens_after_repeated_failures_and_then_fails_fast()
    {
        var name = StubProviders.UniqueName("cb");
        using var metrics = new MetricsCollector(name);
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.Error(ctx, 503, "down"));
        using var registry = StubProviders.Registry((name, StubProviders.OpenAI(server, StubProviders.Fast(retries: 0, breaker: s_quickBreaker))));
        var client = registry.Default.Client;

        for (var i = 0; i < 2; i++)
            Assert.Equal(503, (await Assert.ThrowsAsync<LmmProviderException>(() => client.GetResponseAsync(TestImages.GeolocationPrompt()))).StatusCode);
        var open = await Assert.ThrowsAsync<LmmCircuitOpenException>(() => client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.Equal(2, server.Requests.Count); // the third call never reached the server
        Assert.Equal(name, open.Provider);
        Assert.Contains("circuit is open", open.Message);
        Assert.NotNull(open.RetryAfter);
        Assert.Equal(1, metrics["g3.lmm.circuit_breaks"]);
    }

    [Fact]
    public async Task Request_errors_do_not_open_the_circuit()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.Error(ctx, 400, "bad image"));
        using var registry = StubProviders.Registry(("p", StubProviders.OpenAI(server, StubProviders.Fast(retries: 0, breaker: s_quickBreaker))));

        for (var i = 0; i < 4; i++)
            Assert.Equal(400, (await Assert.ThrowsAsync<LmmProviderException>(() => registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt()))).StatusCode);

        Assert.Equal(4, server.Requests.Count);
    }

    [Fact]
    public async Task The_next_provider_answers_when_the_primary_fails_after_its_retries()
    {
        var primary = StubProviders.UniqueName("gpt4o");
        using var metrics = new MetricsCollector(primary);
        await using var openai = await StubLmmServer.StartAsync((ctx, _) => StubReplies.Error(ctx, 500, "boom"));
        await using var ollama = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OllamaMessage(ctx, "llava:13b", "Lisbon"));
        using var registry = StubProviders.Registry(
            (primary, StubProviders.OpenAI(openai, StubProviders.Fast(retries: 1), "llava")),
            ("llava", StubProviders.Ollama(ollama, StubProviders.Fast())));

        var response = await registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt());

        Assert.Equal("Lisbon", response.Text);
        Assert.Equal("llava:13b", response.ModelId);
        Assert.Equal("llava", response.AdditionalProperties?[LmmResponseProperties.Provider]);
        Assert.Equal(primary, response.AdditionalProperties?[LmmResponseProperties.FallbackFrom]);
        Assert.Equal(2, openai.Requests.Count);
        Assert.Single(ollama.Requests);
        Assert.Equal(1, metrics["g3.lmm.fallbacks"]);
    }

    [Fact]
    public async Task While_the_primarys_circuit_is_open_the_fallback_answers_without_calling_it()
    {
        await using var openai = await StubLmmServer.StartAsync((ctx, _) => StubReplies.Error(ctx, 503, "down"));
        await using var ollama = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OllamaMessage(ctx, "llava:13b", "Lisbon"));
        using var registry = StubProviders.Registry(
            ("gpt4o", StubProviders.OpenAI(openai, StubProviders.Fast(retries: 0, breaker: s_quickBreaker), "llava")),
            ("llava", StubProviders.Ollama(ollama, StubProviders.Fast())));

        for (var i = 0; i < 4; i++)
            Assert.Equal("Lisbon", (await registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt())).Text);

        Assert.Equal(2, openai.Requests.Count);
        Assert.Equal(4, ollama.Requests.Count);
    }

    [Fact]
    public async Task When_every_provider_fails_the_error_names_them_all()
    {
        await using var openai = await StubLmmServer.StartAsync((ctx, _) => StubReplies.Error(ctx, 401, "bad key"));
        await using var ollama = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OllamaError(ctx, 404, "model not found"));
        using var registry = StubProviders.Registry(
            ("gpt4o", StubProviders.OpenAI(openai, StubProviders.Fast(), "llava")),
            ("llava", StubProviders.Ollama(ollama, StubProviders.Fast())));

        var e = await Assert.ThrowsAsync<LmmProviderException>(() => registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.Contains("gpt4o → llava", e.Message);
        Assert.Contains("bad key", e.Message);
        Assert.Contains("model not found", e.Message);
        Assert.False(e.IsTransient);
        Assert.Equal(2, Assert.IsType<AggregateException>(e.InnerException).InnerExceptions.Count);
    }
}
