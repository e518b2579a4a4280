using G3.Diversification.Providers;
using G3.Diversification.Tests.Stubs;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Tests.Providers;

/// <summary>The azure-openai kind: AzureOpenAIClient against a stub of /openai/deployments/{name}/chat/completions?api-version=.</summary>
public sealed class AzureOpenAIProviderTests
{
    private static LmmProviderOptions Options(Uri endpoint, string? apiVersion = "2024-10-21") => new()
    {
        Kind = LmmProviderKinds.AzureOpenAI,
        Model = "gpt-4o",
        Deployment = "g3-gpt4o",
        ApiVersion = apiVersion,
        Endpoint = endpoint,
        ApiKey = "azure-key",
        StructuredOutput = StructuredOutputModes.JsonSchema,
        Resilience = StubProviders.NoRetry(),
    };

    [Fact]
    public async Task Calls_the_deployment_with_the_api_version_the_key_header_and_n()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OpenAIChoices(ctx, "gpt-4o-2024-08-06", "a", "b"));
        using var registry = StubProviders.Registry(("azure", Options(server.BaseUri)));

        var response = await registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt(),
            new LmmCallSettings { Choices = 2 }.ApplyTo(new ChatOptions { MaxOutputTokens = 200 }));

        var request = Assert.Single(server.Requests);
        Assert.Equal("/openai/deployments/g3-gpt4o/chat/completions", request.Path);
        Assert.Equal("?api-version=2024-10-21", request.Query);
        Assert.Equal("azure-key", request.ApiKeyHeader);
        Assert.Equal(2, request.Body.GetProperty("n").GetInt32());
        Assert.Equal(["a", "b"], response.Messages.Select(m => m.Text));
        Assert.Equal("azure", response.AdditionalProperties?[LmmResponseProperties.Provider]);
    }

    [Fact]
    public async Task Maps_a_429_with_retry_after_like_every_other_provider()
    {
        await using var server = await StubLmmServer.StartAsync((ctx, _) => StubReplies.Error(ctx, 429, "Requests to the deployment have exceeded the rate limit", retryAfter: "3"));
        using var registry = StubProviders.Registry(("azure", Options(server.BaseUri)));

        var e = await Assert.ThrowsAsync<LmmProviderException>(() => registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt()));

        Assert.Equal(429, e.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), e.RetryAfter);
        Assert.Contains("exceeded the rate limit", e.Message);
    }

    [Fact]
    public void An_unknown_api_version_is_refused_up_front_listing_the_known_ones()
    {
        var errors = LmmOptionsValidator.Validate(new LmmOptions
        {
            Providers = new Dictionary<string, LmmProviderOptions> { ["azure"] = Options(new Uri("https://example.openai.azure.com/"), apiVersion: "2019-01-01") },
        });

        var error = Assert.Single(errors);
        Assert.Contains("ApiVersion '2019-01-01'", error);
        Assert.Contains("2024-10-21", error);
    }
}
