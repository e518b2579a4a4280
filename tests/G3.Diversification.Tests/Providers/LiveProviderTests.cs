using G3.Diversification.Providers;
using G3.Diversification.Tests.Stubs;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Tests.Providers;

/// <summary>
/// Against real servers, only when configured: G3_OPENAI_API_KEY (optionally G3_OPENAI_BASE_URL, G3_OPENAI_MODEL),
/// or G3_OLLAMA_URL (optionally G3_OLLAMA_MODEL, default "llava"). Otherwise reported as skipped with the reason.
/// </summary>
public sealed class LiveProviderTests
{
    [FactRequiringEnv("G3_OPENAI_API_KEY", "an OpenAI-compatible API key")]
    public async Task OpenAI_answers_with_the_requested_number_of_choices()
    {
        var baseUrl = Environment.GetEnvironmentVariable("G3_OPENAI_BASE_URL");
        var options = new LmmProviderOptions
        {
            Kind = LmmProviderKinds.OpenAI,
            Model = Environment.GetEnvironmentVariable("G3_OPENAI_MODEL") ?? "gpt-4o-mini",
            Endpoint = string.IsNullOrWhiteSpace(baseUrl) ? null : new Uri(baseUrl),
            ApiKey = Environment.GetEnvironmentVariable("G3_OPENAI_API_KEY"),
        };
        using var registry = LmmProviderRegistry.Create(new LmmOptions { Default = "live", Providers = new Dictionary<string, LmmProviderOptions> { ["live"] = options } });

        var response = await registry.Default.Client.GetResponseAsync(
            TestImages.GeolocationPrompt(),
            new ChatOptions { Temperature = 0.7f, AdditionalProperties = new() { [ChatConventions.ChoiceCount] = 2 } });

        Assert.InRange(response.Messages.Count, 1, 2);
        Assert.All(response.Messages, m => Assert.False(string.IsNullOrWhiteSpace(m.Text)));
    }

    [FactRequiringEnv("G3_OLLAMA_URL", "an Ollama server with a vision model")]
    public async Task Ollama_answers_about_the_image()
    {
        var options = new LmmProviderOptions
        {
            Kind = LmmProviderKinds.Ollama,
            Model = Environment.GetEnvironmentVariable("G3_OLLAMA_MODEL") ?? "llava",
            Endpoint = new Uri(Environment.GetEnvironmentVariable("G3_OLLAMA_URL")!),
            Resilience = new Diversification.Resilience.LmmResilienceOptions { Timeout = TimeSpan.FromMinutes(3) },
        };
        using var registry = LmmProviderRegistry.Create(new LmmOptions { Default = "live", Providers = new Dictionary<string, LmmProviderOptions> { ["live"] = options } });

        var response = await registry.Default.Client.GetResponseAsync(TestImages.GeolocationPrompt(), new ChatOptions { Temperature = 0.2f, Seed = 1 });

        Assert.False(string.IsNullOrWhiteSpace(Assert.Single(response.Messages).Text));
    }
}
