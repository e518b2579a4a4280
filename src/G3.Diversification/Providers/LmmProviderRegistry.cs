using G3.Diversification.Orchestration;
using G3.Diversification.Providers.Kinds;
using G3.Diversification.Resilience;
using Microsoft.SemanticKernel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;

namespace G3.Diversification.Providers;

/// <summary>
/// The one registry of LMM providers: the configured providers by name (each an <see cref="ILmmProvider"/> whose info
/// lists its fallbacks), and the Semantic Kernel <see cref="Kernel"/> built from them, which holds each provider's own
/// pipeline (see <see cref="LmmClientBuilder"/>) as a keyed <see cref="IChatClient"/> service (key = provider name) for
/// the prompt functions, and the <see cref="LmmChainContext"/> (clock, budget, circuits) generators run chains with. A provider named "none" (kind none)
/// is always present (and has no chat service). Create once (singleton): circuit breakers and the in-flight limiter are
/// only meaningful when shared.
/// </summary>
public sealed class LmmProviderRegistry : IDisposable
{
    private readonly Dictionary<string, ILmmProvider> _providers;
    private readonly List<IDisposable> _owned;

    private LmmProviderRegistry(Dictionary<string, ILmmProvider> providers, string defaultName, LmmConcurrencyLimiter limiter, Kernel kernel, List<IDisposable> owned)
    {
        _providers = providers;
        _owned = owned;
        Limiter = limiter;
        Kernel = kernel;
        Default = providers[defaultName];
    }

    /// <summary>The provider used when a request names none.</summary>
    public ILmmProvider Default { get; }

    /// <summary>Configured names (case-insensitive), "none" included.</summary>
    public IReadOnlyCollection<string> Names => _providers.Keys;

    /// <summary>The global in-flight limiter every provider shares.</summary>
    public LmmConcurrencyLimiter Limiter { get; }

    /// <summary>The rate limiters of the providers that set RequestsPerMinute or TokensPerMinute, by name (one per provider, shared by every call to it).</summary>
    public IReadOnlyDictionary<string, LmmRateLimiter> RateLimiters { get; private init; } = new Dictionary<string, LmmRateLimiter>();

    /// <summary>The kernel whose chat services are the providers' request pipelines, keyed by provider name.</summary>
    public Kernel Kernel { get; }

    /// <summary>
    /// Validates <paramref name="options"/> (throws <see cref="LmmConfigurationException"/> listing every problem) and builds every provider.
    /// </summary>
    /// <param name="telemetry">Shared metrics; null creates one owned by the registry.</param>
    public static LmmProviderRegistry Create(
        LmmOptions options,
        ILoggerFactory? loggerFactory = null,
        LmmTelemetry? telemetry = null,
        TimeProvider? timeProvider = null)
    {
        LmmOptionsValidator.ThrowIfInvalid(options);
        var time = timeProvider ?? TimeProvider.System;
        var owned = new List<IDisposable>();
        if (telemetry is null)
        {
            telemetry = new LmmTelemetry();
            owned.Add(telemetry);
        }
        var limiter = new LmmConcurrencyLimiter(options.MaxConcurrentCalls);
        owned.Add(limiter);
        var builder = new LmmClientBuilder(telemetry, loggerFactory, time);

        var configured = new Dictionary<string, LmmProviderOptions>(options.Providers, StringComparer.OrdinalIgnoreCase);
        configured.TryAdd(LmmProviderKinds.None, new LmmProviderOptions { Kind = LmmProviderKinds.None });

        // Each provider's own pipeline, once (one breaker per provider, shared by every chain it appears in).
        var pipelines = new Dictionary<string, IChatClient>(StringComparer.OrdinalIgnoreCase);
        var circuits = new Dictionary<string, CircuitBreakerStateProvider>(StringComparer.OrdinalIgnoreCase);
        var rateLimiters = new Dictionary<string, LmmRateLimiter>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, provider) in configured.Where(p => p.Value.Kind != LmmProviderKinds.None))
        {
            var kind = ProviderKinds.Get(provider.Kind);
            var (raw, http) = kind.CreateClient(name, provider, time);
            owned.Add(raw);
            owned.Add(http);
            var circuit = circuits[name] = new CircuitBreakerStateProvider();
            var rate = LmmRateLimiter.For(provider);
            if (rate is not null)
            {
                owned.Add(rate);
                rateLimiters[name] = rate;
            }
            pipelines[name] = builder.BuildProviderPipeline(name, provider.Model, provider.Resilience, limiter, raw, circuit, rate, new Tokens.TokenEstimator(provider));
        }

        var infos = configured.ToDictionary(kv => kv.Key, kv => Info(kv.Key, kv.Value), StringComparer.OrdinalIgnoreCase);
        var providers = new Dictionary<string, ILmmProvider>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, provider) in configured)
        {
            if (provider.Kind == LmmProviderKinds.None)
            {
                providers[name] = new ConfiguredLmmProvider(infos[name], new NoLmmChatClient(name));
                continue;
            }
            var info = infos[name] with { Fallbacks = [.. provider.Fallbacks.Select(f => infos[f])] };
            var chain = info.Chain.Select(p => (p.Name, pipelines[p.Name])).ToList();
            providers[name] = new ConfiguredLmmProvider(info, builder.BuildChain(chain));
        }
        var chainContext = new LmmChainContext(time, options.Budget, circuits);
        var kernel = LmmKernel.Create(pipelines.Select(p => (Canonical(configured, p.Key), p.Value)), loggerFactory, chainContext);
        return new LmmProviderRegistry(providers, Canonical(configured, options.Default), limiter, kernel, owned) { RateLimiters = rateLimiters };
    }

    private static LmmProviderInfo Info(string name, LmmProviderOptions p) =>
        new(name, p.Kind, p.Model, p.MaxSamplesPerCall, p.EffectivePromptSettings, p.StructuredOutput, p.EffectiveMaxImages);

    /// <summary>The named provider; <see cref="LmmProviderNotFoundException"/> (listing the configured names) when unknown.</summary>
    public ILmmProvider Get(string name) =>
        TryGet(name, out var provider) ? provider : throw new LmmProviderNotFoundException(name, [.. _providers.Keys]);

    public bool TryGet(string name, out ILmmProvider provider) => _providers.TryGetValue(name, out provider!);

    /// <summary>Releases the raw clients, their HTTP connections, the limiter and owned telemetry.</summary>
    public void Dispose()
    {
        foreach (var disposable in _owned)
            disposable.Dispose();
    }

    private static string Canonical(Dictionary<string, LmmProviderOptions> configured, string name) =>
        configured.Keys.First(k => k.Equals(name, StringComparison.OrdinalIgnoreCase));

    private sealed record ConfiguredLmmProvider(LmmProviderInfo Info, IChatClient Client) : ILmmProvider;
}

/// <summary>A request named a provider that is not configured.</summary>
public sealed class LmmProviderNotFoundException : KeyNotFoundException
{
    public LmmProviderNotFoundException()
        : this("(unnamed)", [])
    {
    }

    public LmmProviderNotFoundException(string message)
        : base(message)
    {
        Name = "";
        Configured = [];
    }

    public LmmProviderNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
        Name = "";
        Configured = [];
    }

    public LmmProviderNotFoundException(string name, IReadOnlyList<string> configured)
        : base($"No LMM provider named '{name}' is configured; configured: {string.Join(", ", configured)}.")
    {
        Name = name;
        Configured = configured;
    }

    public string Name { get; }

    public IReadOnlyList<string> Configured { get; }
}
