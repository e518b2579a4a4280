using G3.Core.Candidates;
using G3.Core.Ports;
using G3.Diversification.Caching;
using G3.Diversification.Generation;
using G3.Diversification.Prompts;
using G3.Diversification.Providers;
using G3.Diversification.Tests.Stubs;

namespace G3.Diversification.Tests.Providers;

/// <summary>
/// Against real servers, only when configured; otherwise reported as skipped with the reason:
/// G3_OPENAI_API_KEY (optionally G3_OPENAI_BASE_URL for an OpenAI-compatible server, G3_OPENAI_MODEL);
/// G3_AZURE_OPENAI_ENDPOINT (with G3_AZURE_OPENAI_DEPLOYMENT, optionally G3_AZURE_OPENAI_API_KEY, else Entra ID);
/// G3_OLLAMA_URL (optionally G3_OLLAMA_MODEL, default "llava").
/// Each runs one G3 prompt with two samples through the generator and the registry's kernel.
/// </summary>
public sealed class LiveProviderTests
{
    private static async Task<IReadOnlyList<Candidate>> GenerateAsync(LmmProviderOptions options)
    {
        using var registry = LmmProviderRegistry.Create(new LmmOptions { Default = "live", Providers = new Dictionary<string, LmmProviderOptions> { ["live"] = options } });
        var generator = new LmmCandidateGenerator(registry.Kernel, registry.Default.Info, PromptTemplates.Default, ResponseCache.Disabled);
        return await generator.GenerateAsync(
            new GenerationRequest(new QueryImage(TestImages.RedSquareJpeg), new PromptVariant(0, 0), [], [], 0, 2, null, PlaceGranularity.None), default);
    }

    private static string Env(string name) => Environment.GetEnvironmentVariable(name) ?? "";

    [FactRequiringEnv("G3_OPENAI_API_KEY", "an OpenAI(-compatible) API key")]
    public async Task OpenAI_answers_both_samples_in_one_request()
    {
        var baseUrl = Env("G3_OPENAI_BASE_URL");
        var candidates = await GenerateAsync(new LmmProviderOptions
        {
            Kind = baseUrl.Length == 0 ? LmmProviderKinds.OpenAI : LmmProviderKinds.OpenAICompatible,
            Model = Env("G3_OPENAI_MODEL") is { Length: > 0 } m ? m : "gpt-4o-mini",
            Endpoint = baseUrl.Length == 0 ? null : new Uri(baseUrl),
            ApiKey = Env("G3_OPENAI_API_KEY"),
        });

        Assert.Equal(2, candidates.Count);
        Assert.All(candidates, c => Assert.NotEqual(ParseOutcome.ProviderError, c.Outcome));
    }

    [FactRequiringEnv("G3_AZURE_OPENAI_ENDPOINT", "an Azure OpenAI resource (and G3_AZURE_OPENAI_DEPLOYMENT)")]
    public async Task Azure_OpenAI_answers_through_the_deployment()
    {
        var candidates = await GenerateAsync(new LmmProviderOptions
        {
            Kind = LmmProviderKinds.AzureOpenAI,
            Model = Env("G3_AZURE_OPENAI_DEPLOYMENT"),
            Endpoint = new Uri(Env("G3_AZURE_OPENAI_ENDPOINT")),
            ApiKey = Env("G3_AZURE_OPENAI_API_KEY") is { Length: > 0 } key ? key : null,
        });

        Assert.All(candidates, c => Assert.NotEqual(ParseOutcome.ProviderError, c.Outcome));
    }

    [FactRequiringEnv("G3_OLLAMA_URL", "an Ollama server with a vision model")]
    public async Task Ollama_answers_about_the_image()
    {
        var candidates = await GenerateAsync(new LmmProviderOptions
        {
            Kind = LmmProviderKinds.Ollama,
            Model = Env("G3_OLLAMA_MODEL") is { Length: > 0 } m ? m : "llava",
            Endpoint = new Uri(Env("G3_OLLAMA_URL")),
            StructuredOutput = StructuredOutputModes.Json,
            Resilience = new Diversification.Resilience.LmmResilienceOptions { Timeout = TimeSpan.FromMinutes(3) },
        });

        Assert.All(candidates, c => Assert.NotEqual(ParseOutcome.ProviderError, c.Outcome));
    }
}
