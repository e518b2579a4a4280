using G3.Diversification.Providers;
using G3.Diversification.Resilience;

namespace G3.Diversification.Tests.Stubs;

/// <summary>Provider options pointing at stub servers, with resilience timings short enough for tests.</summary>
internal static class StubProviders
{
    public static LmmResilienceOptions Fast(int retries = 2, TimeSpan? timeout = null, LmmCircuitBreakerOptions? breaker = null, LmmHedgingOptions? hedging = null, TimeSpan? maxRetryAfter = null) => new()
    {
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
        Retry = new LmmRetryOptions
        {
            MaxRetries = retries,
            BaseDelay = TimeSpan.FromMilliseconds(20),
            MaxDelay = TimeSpan.FromMilliseconds(100),
            MaxRetryAfter = maxRetryAfter ?? TimeSpan.FromSeconds(5),
        },
        CircuitBreaker = breaker ?? new LmmCircuitBreakerOptions(),
        Hedging = hedging ?? new LmmHedgingOptions(),
    };

    /// <summary>One attempt per call and no breaker: what a single provider call does, without the resilience around it.</summary>
    public static LmmResilienceOptions NoRetry() => Fast(retries: 0, breaker: new LmmCircuitBreakerOptions { Enabled = false });

    public static LmmProviderOptions OpenAI(StubLmmServer server, LmmResilienceOptions resilience, params string[] fallbacks) => new()
    {
        Kind = LmmProviderKinds.OpenAI,
        Model = "gpt-4o-stub",
        Endpoint = new Uri(server.BaseUri, "v1"),
        ApiKey = "sk-test",
        Resilience = resilience,
        Fallbacks = fallbacks,
    };

    public static LmmProviderOptions Ollama(StubLmmServer server, LmmResilienceOptions resilience) => new()
    {
        Kind = LmmProviderKinds.Ollama,
        Model = "llava:13b",
        Endpoint = server.BaseUri,
        Resilience = resilience,
    };

    public static LmmProviderOptions AzureOpenAI(StubLmmServer server, LmmResilienceOptions resilience) => new()
    {
        Kind = LmmProviderKinds.AzureOpenAI,
        Model = "gpt-4o",
        Deployment = "g3-gpt4o",
        ApiVersion = "2024-10-21",
        Endpoint = server.BaseUri,
        ApiKey = "azure-key",
        Resilience = resilience,
    };

    /// <summary>A registry whose default is the first provider given.</summary>
    public static LmmProviderRegistry Registry(int maxConcurrentCalls, params (string Name, LmmProviderOptions Options)[] providers) =>
        LmmProviderRegistry.Create(new LmmOptions
        {
            Default = providers[0].Name,
            MaxConcurrentCalls = maxConcurrentCalls,
            Providers = providers.ToDictionary(p => p.Name, p => p.Options),
        });

    public static LmmProviderRegistry Registry(params (string Name, LmmProviderOptions Options)[] providers) => Registry(8, providers);

    /// <summary>A name unique to the test, so metrics recorded by tests running in parallel do not mix.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
