namespace G3.Evaluation;

/// <summary>
/// What one image's LMM calls cost under one configuration, as recorded in its JSON line. A count or cost that is
/// not known (a provider that reported no tokens, a provider without a configured price) is null, never 0.
/// </summary>
/// <param name="Calls">Calls that went to a provider (each billed).</param>
/// <param name="CachedAnswers">Samples answered from the response cache or shared with an identical call in flight (free).</param>
/// <param name="Images">Images sent with those calls (what providers that bill per image count).</param>
/// <param name="Cost">Estimated from the providers' configured prices.</param>
public sealed record EvalUsage(int Calls, int CachedAnswers, long? InputTokens, long? OutputTokens, int Images, decimal? Cost)
{
    public static EvalUsage None { get; } = new(0, 0, 0, 0, 0, 0m);

    public static EvalUsage operator +(EvalUsage a, EvalUsage b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new(a.Calls + b.Calls, a.CachedAnswers + b.CachedAnswers, a.InputTokens + b.InputTokens, a.OutputTokens + b.OutputTokens,
            a.Images + b.Images, a.Cost + b.Cost);
    }

    public static EvalUsage Add(EvalUsage a, EvalUsage b) => a + b;
}
