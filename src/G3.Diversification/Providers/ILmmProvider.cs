using Microsoft.Extensions.AI;

namespace G3.Diversification.Providers;

/// <summary>
/// A named, fully decorated chat client (resilience, limits, telemetry applied). The same client is registered in the
/// registry's Semantic Kernel <see cref="Microsoft.SemanticKernel.Kernel"/> as a keyed <see cref="IChatClient"/>
/// service under <see cref="LmmProviderInfo.Name"/>.
/// </summary>
public interface ILmmProvider
{
    LmmProviderInfo Info { get; }

    IChatClient Client { get; }
}
