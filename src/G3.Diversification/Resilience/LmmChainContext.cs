using Polly.CircuitBreaker;

namespace G3.Diversification.Resilience;

/// <summary>
/// What a generator needs to run a provider chain beyond the chat clients: the clock, the budget rule, and each
/// provider's circuit (to tell an outage from a slow call). The registry puts one in its kernel's services; a kernel
/// without one (tests that wire a client by hand) gets <see cref="Default"/>: system clock, shipped budget, no circuits.
/// </summary>
public sealed class LmmChainContext(TimeProvider time, LmmBudgetOptions budget, IReadOnlyDictionary<string, CircuitBreakerStateProvider> circuits)
{
    public static LmmChainContext Default { get; } = new(TimeProvider.System, new LmmBudgetOptions(), new Dictionary<string, CircuitBreakerStateProvider>());

    public TimeProvider Time { get; } = time;

    public LmmBudgetOptions Budget { get; } = budget;

    /// <summary>True while the provider's circuit is open (or isolated): calls to it fail fast.</summary>
    public bool IsOutage(string provider) =>
        circuits.TryGetValue(provider, out var circuit) && circuit.CircuitState is CircuitState.Open or CircuitState.Isolated;
}
