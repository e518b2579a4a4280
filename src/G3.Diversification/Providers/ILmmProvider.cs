using Microsoft.Extensions.AI;

namespace G3.Diversification.Providers;

/// <summary>
/// A named provider. <see cref="Client"/> is its chain for plain chat (follow-up questions): its own pipeline, then its
/// fallbacks' in order. Each provider's own pipeline (resilience, limits, telemetry applied) is registered in the
/// registry's Semantic Kernel <see cref="Microsoft.SemanticKernel.Kernel"/> as a keyed <see cref="IChatClient"/>
/// service under <see cref="LmmProviderInfo.Name"/>, where the candidate generator's prompt functions reach it.
/// </summary>
public interface ILmmProvider
{
    LmmProviderInfo Info { get; }

    IChatClient Client { get; }
}
