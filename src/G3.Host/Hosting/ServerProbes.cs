using G3.Core.Options;
using G3.Core.Ports;
using G3.Diversification.Providers;
using G3.Host.Composition;
using G3.Retrieval.Qdrant;
using Microsoft.Extensions.AI;

namespace G3.Host.Hosting;

/// <summary>
/// The servers the configuration makes the service depend on, as probes: the Qdrant store (when <c>Store:Kind</c> is
/// qdrant) and each LMM provider named in <c>Dependencies:RequiredProviders</c>. The embedded store and the providers
/// not named there need nothing to be ready. Resolving the ports is the caller's business (the probes use them).
/// </summary>
internal static class ServerProbes
{
    public static IReadOnlyList<IServerProbe> For(IServiceProvider services, DependencySettings settings)
    {
        var probes = new List<IServerProbe>();
        if (services.GetRequiredService<IReferenceStore>() is QdrantReferenceStore qdrant) probes.Add(new QdrantProbe(qdrant));
        var providers = services.GetRequiredService<G3Pipelines>().Providers;
        foreach (var name in settings.RequiredProviders)
        {
            if (!providers.TryGet(name, out var provider))
                throw new G3OptionsException([$"Dependencies:RequiredProviders names '{name}', which is not a provider under Lmm:Providers ({string.Join(", ", providers.Names)})."]);
            if (provider.Info.Kind != LmmProviderKinds.None) probes.Add(new LmmProbe(provider));
        }
        return probes;
    }

    private sealed class QdrantProbe(QdrantReferenceStore store) : IServerProbe
    {
        public string Server => store.Server;
        public bool WhileRunning => true;
        public Task ProbeAsync(CancellationToken cancellationToken) => store.ProbeAsync(cancellationToken);
    }

    /// <summary>Asks the provider for one token: the cheapest call that proves the endpoint, the key and the model.</summary>
    private sealed class LmmProbe(ILmmProvider provider) : IServerProbe
    {
        public string Server => $"LMM provider '{provider.Info.Name}'";
        public bool WhileRunning => false;
        public Task ProbeAsync(CancellationToken cancellationToken) =>
            provider.Client.GetResponseAsync([new ChatMessage(ChatRole.User, "Reply with OK.")], new ChatOptions { MaxOutputTokens = 1 }, cancellationToken);
    }
}
