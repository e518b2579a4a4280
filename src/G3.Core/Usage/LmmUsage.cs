namespace G3.Core.Usage;

/// <summary>One provider and model's share of a request: its calls, the answers that cost none, and the tokens of the calls.</summary>
public sealed record LmmUsageLine(string Provider, string Model, int Calls, int CachedAnswers, TokenUsage Tokens);

/// <summary>What a request's LMM calls cost: the total and the lines per provider and model.</summary>
public sealed record LmmUsage(TokenUsage Total, IReadOnlyList<LmmUsageLine> ByModel)
{
    public static LmmUsage None { get; } = new(TokenUsage.Zero, []);

    public static LmmUsage Of(IEnumerable<LmmCall> calls)
    {
        var all = calls.ToList();
        var lines = all.GroupBy(c => (c.Provider, c.Model))
            .OrderBy(g => g.Key.Provider, StringComparer.Ordinal).ThenBy(g => g.Key.Model, StringComparer.Ordinal)
            .Select(g => new LmmUsageLine(g.Key.Provider, g.Key.Model,
                g.Count(c => !c.FromCache), g.Where(c => c.FromCache).Sum(c => c.Answers), TokenUsage.Sum(g.Select(c => c.Tokens))))
            .ToList();
        return new(TokenUsage.Sum(all.Select(c => c.Tokens)), lines);
    }
}
