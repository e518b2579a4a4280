using G3.Diversification.Providers;
using G3.Diversification.Resilience;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace G3.Diversification.Tests.Providers;

public sealed class LmmProviderRegistryTests
{
    private static LmmOptions TwoProviders() => new()
    {
        Default = "gpt4o",
        MaxConcurrentCalls = 4,
        Providers = new Dictionary<string, LmmProviderOptions>
        {
            ["gpt4o"] = new() { Kind = LmmProviderKinds.OpenAI, Model = "gpt-4o", ApiKey = "sk-test", Fallbacks = ["llava"] },
            ["llava"] = new() { Kind = LmmProviderKinds.Ollama, Model = "llava", Endpoint = new Uri("http://127.0.0.1:11434") },
        },
    };

    [Fact]
    public void Builds_named_providers_with_their_info_and_a_none_provider()
    {
        using var registry = LmmProviderRegistry.Create(TwoProviders());

        Assert.Equal("gpt4o", registry.Default.Info.Name);
        Assert.Equal(new LmmProviderInfo("gpt4o", "openai", "gpt-4o", 128, "gpt4v"), registry.Get("GPT4O").Info);
        // Ollama (LLaVA) prompts show one photo of a several-photo query by default; the others all 8.
        Assert.Equal(new LmmProviderInfo("llava", "ollama", "llava", 1, "llava", MaxImages: 1), registry.Get("llava").Info);
        Assert.Equal("none", registry.Get("none").Info.Kind);
        Assert.Equal(["gpt4o", "llava", "none"], registry.Names.Order());
        Assert.Equal(4, registry.Limiter.MaxConcurrentCalls);
        // Each answering provider is a chat service of the registry's Semantic Kernel, keyed by its name.
        Assert.NotNull(registry.Kernel.Services.GetKeyedService<IChatClient>("gpt4o"));
        Assert.NotNull(registry.Kernel.Services.GetKeyedService<IChatClient>("llava"));
        Assert.Null(registry.Kernel.Services.GetKeyedService<IChatClient>("none"));
    }

    [Fact]
    public void An_unknown_name_lists_the_configured_ones()
    {
        using var registry = LmmProviderRegistry.Create(TwoProviders());

        var e = Assert.Throws<LmmProviderNotFoundException>(() => registry.Get("claude"));

        Assert.Contains("'claude'", e.Message);
        Assert.Contains("gpt4o", e.Message);
        Assert.Contains("llava", e.Message);
    }

    [Fact]
    public async Task The_none_provider_explains_itself_when_called()
    {
        using var registry = LmmProviderRegistry.Create(new LmmOptions());

        Assert.Equal("none", registry.Default.Info.Kind);
        var e = await Assert.ThrowsAsync<LmmProviderException>(() => registry.Default.Client.GetResponseAsync("hi"));
        Assert.Contains("kind 'none'", e.Message);
    }

    [Fact]
    public void Invalid_options_fail_up_front_listing_every_problem()
    {
        var options = new LmmOptions
        {
            Default = "missing",
            MaxConcurrentCalls = 0,
            Providers = new Dictionary<string, LmmProviderOptions>
            {
                ["gpt4o"] = new() { Kind = LmmProviderKinds.OpenAI, Model = "", StructuredOutput = "yes", Fallbacks = ["nowhere"] },
                ["llava"] = new()
                {
                    Kind = LmmProviderKinds.Ollama,
                    Model = "llava",
                    Resilience = new LmmResilienceOptions { CircuitBreaker = new LmmCircuitBreakerOptions { MinimumThroughput = 1, BreakDuration = TimeSpan.FromMilliseconds(10) } },
                },
                ["odd"] = new() { Kind = "anthropic" },
            },
        };

        var e = Assert.Throws<LmmConfigurationException>(() => LmmProviderRegistry.Create(options));

        Assert.Contains(e.Errors, m => m.Contains("Lmm:MaxConcurrentCalls"));
        Assert.Contains(e.Errors, m => m.Contains("Lmm:Default") && m.Contains("missing"));
        Assert.Contains(e.Errors, m => m.Contains("Lmm:Providers:gpt4o:Model"));
        Assert.Contains(e.Errors, m => m.Contains("Lmm:Providers:gpt4o:ApiKey") && m.Contains("G3_Lmm__Providers__gpt4o__ApiKey"));
        Assert.Contains(e.Errors, m => m.Contains("Lmm:Providers:gpt4o:StructuredOutput") && m.Contains("off, json, json_schema"));
        Assert.Contains(e.Errors, m => m.Contains("Lmm:Providers:gpt4o:Fallbacks") && m.Contains("nowhere"));
        Assert.Contains(e.Errors, m => m.Contains("Lmm:Providers:llava:Endpoint"));
        Assert.Contains(e.Errors, m => m.Contains("Lmm:Providers:llava:Resilience:CircuitBreaker:MinimumThroughput"));
        Assert.Contains(e.Errors, m => m.Contains("Lmm:Providers:llava:Resilience:CircuitBreaker:BreakDuration"));
        Assert.Contains(e.Errors, m => m.Contains("Lmm:Providers:odd:Kind") && m.Contains("openai, azure-openai, ollama, openai-compatible, none"));
        Assert.Equal(10, e.Errors.Count);
    }

    [Fact]
    public void Printed_options_never_show_the_api_key()
    {
        var printed = new LmmProviderOptions { Model = "gpt-4o", ApiKey = "sk-secret-123" }.ToString();

        Assert.DoesNotContain("sk-secret-123", printed);
        Assert.Contains("ApiKey = ***", printed);
        Assert.Contains("Model = gpt-4o", printed);
    }

    [Fact]
    public void Valid_options_have_no_errors() => Assert.Empty(LmmOptionsValidator.Validate(TwoProviders()));

    [Fact]
    public void A_negative_price_is_refused_by_name()
    {
        var options = TwoProviders();
        var (name, provider) = options.Providers.First();
        var priced = options with
        {
            Providers = new Dictionary<string, LmmProviderOptions>(options.Providers)
            {
                [name] = provider with { Price = new LmmPrice { InputPerMillionTokens = 2.5m, OutputPerMillionTokens = -1m, PerImage = -0.01m } },
            },
        };

        var errors = LmmOptionsValidator.Validate(priced);

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith($"Lmm:Providers:{name}:Price:OutputPerMillionTokens must not be negative", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"Lmm:Providers:{name}:Price:PerImage must not be negative", StringComparison.Ordinal));
        Assert.Empty(LmmOptionsValidator.Validate(priced with
        {
            Providers = new Dictionary<string, LmmProviderOptions>(options.Providers) { [name] = provider with { Price = new LmmPrice { InputPerMillionTokens = 2.5m } } },
        }));
    }
}
