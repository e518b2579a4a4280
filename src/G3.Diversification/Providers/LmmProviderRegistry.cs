using G3.Diversification.Orchestration;
using G3.Diversification.Resilience;
using Microsoft.SemanticKernel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace G3.Diversification.Providers;

/// <summary>
/// The configured providers by name, each a fully decorated <see cref="ILmmProvider"/> (see <see cref="LmmClientBuilder"/>
/// for the decoration order), and the Semantic Kernel <see cref="Kernel"/> that holds them as keyed
/// <see cref="IChatClient"/> services (key = provider name) for the prompt functions. A provider named "none" (kind none)
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

        // First each provider's own pipeline (one breaker per provider, shared by every chain it appears in) ...
        var pipelines = new Dictionary<string, IChatClient>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, provider) in configured.Where(p => p.Value.Kind != LmmProviderKinds.None))
        {
            var (raw, http) = ProviderClients.Create(name, provider, time);
            owned.Add(raw);
            owned.Add(http);
            pipelines[name] = builder.BuildProviderPipeline(name, provider.Model, provider.MaxSamplesPerCall, provider.Resilience, raw);
        }

        // ... then what requests call: limiter → this provider, then its fallbacks.
        var providers = new Dictionary<string, ILmmProvider>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, provider) in configured)
        {
            var info = new LmmProviderInfo(name, provider.Kind, provider.Model, provider.MaxSamplesPerCall, provider.EffectivePromptSettings, provider.StructuredOutput, provider.EffectiveMaxImages);
            if (provider.Kind == LmmProviderKinds.None)
            {
                providers[name] = new ConfiguredLmmProvider(info, new NoLmmChatClient(name));
                continue;
            }
            var chain = new[] { name }.Concat(provider.Fallbacks).Select(n => (Name: Canonical(configured, n), ProviderPipeline: pipelines[n])).ToList();
            providers[name] = new ConfiguredLmmProvider(info, builder.BuildRequestPipeline(chain, limiter));
        }
        var kernel = LmmKernel.Create(providers.Values.Where(p => p.Info.Kind != LmmProviderKinds.None).Select(p => (p.Info.Name, p.Client)), loggerFactory);
        return new LmmProviderRegistry(providers, Canonical(configured, options.Default), limiter, kernel, owned);
    }

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
