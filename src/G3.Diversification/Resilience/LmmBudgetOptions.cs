namespace G3.Diversification.Resilience;

/// <summary>
/// How one generation request spends its time across a provider chain (primary, then fallbacks). docs/lmm.md draws the
/// timeline. The budget is the stage's deadline: the pipeline passes its GenerationDeadline with each request;
/// <see cref="Stage"/> stands in when a caller gives none.
/// </summary>
public sealed record LmmBudgetOptions
{
    /// <summary>The budget of a request that carries none (the host's GenerationDeadlineSeconds default, 60 s).</summary>
    public TimeSpan Stage { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Share of the budget (0 &lt; h &lt; 1) after which, if the running provider has no valid answer yet, the next
    /// provider of the chain starts beside it (the k-th fallback at the latest at k × h × budget; at once when the one
    /// before it has failed). The first valid answers win and the others are cancelled. 0.25 of 60 s is 15 s: a healthy
    /// hosted vision model answers a G3 prompt (n = 10, 200 tokens) well within that, and the fallback keeps 45 s,
    /// enough for a local LLaVA's one-call-per-sample fan-out.
    /// </summary>
    public double HandoverAfter { get; init; } = 0.25;
}
