using G3.Core.Usage;
using G3.Diversification.Providers;
using G3.Evaluation;

namespace G3.Evaluation.Tests;

public sealed class LmmCostTests
{
    private static LmmOptions Priced(int? maxImages = null) => new()
    {
        Providers = new Dictionary<string, LmmProviderOptions>
        {
            ["gpt4o"] = new() { Model = "gpt-4o", MaxImages = maxImages, Price = new LmmPrice { InputPerMillionTokens = 2m, OutputPerMillionTokens = 10m, PerImage = 0.5m } },
            ["local"] = new() { Kind = LmmProviderKinds.Ollama, Model = "llava", Endpoint = new Uri("http://127.0.0.1:11434") },
        },
    };

    [Fact]
    public void Prices_calls_by_their_tokens_and_the_photos_each_shows()
    {
        LmmCall[] calls =
        [
            new("gpt4o", "gpt-4o", false, 2, new TokenUsage(1_000, 100)),
            new("gpt4o", "gpt-4o", false, 2, new TokenUsage(3_000, 300)),
            LmmCall.Cached("gpt4o", "gpt-4o", 2),
        ];

        var usage = LmmCost.Of(calls, photos: 3, Priced(maxImages: 2));

        Assert.Equal(new EvalUsage(2, 2, 4_000, 400, 4, 4_000 * 2m / 1_000_000 + 400 * 10m / 1_000_000 + 4 * 0.5m), usage);
    }

    [Fact]
    public void Unreported_tokens_or_a_missing_price_leave_the_cost_unknown()
    {
        var unreported = LmmCost.Of([new LmmCall("gpt4o", "gpt-4o", false, 1, TokenUsage.Unknown)], 1, Priced());
        Assert.Null(unreported.InputTokens);
        Assert.Null(unreported.Cost);

        var unpriced = LmmCost.Of([new LmmCall("local", "llava", false, 1, new TokenUsage(10, 5))], 1, Priced());
        Assert.Equal(10, unpriced.InputTokens);
        Assert.Null(unpriced.Cost);

        Assert.Null(LmmCost.Of([new LmmCall("gpt4o", "gpt-4o", false, 1, new TokenUsage(10, 5))], 1, lmm: null).Cost);
    }

    [Fact]
    public void No_calls_cost_nothing() => Assert.Equal(EvalUsage.None, LmmCost.Of([], 1, Priced()));

    [Fact]
    public void A_configuration_with_an_unrecorded_line_has_unknown_totals()
    {
        EvalRecord Record(string id, EvalUsage? usage) => new() { Configuration = "c", ImageId = id, TrueLatitude = 0, TrueLongitude = 0, ErrorKm = 1, Usage = usage };

        var known = EvalMetrics.Compute([Record("a", new EvalUsage(1, 0, 10, 2, 1, 0.25m)), Record("b", new EvalUsage(2, 1, 20, 4, 2, 0.5m))]).Single().Usage;
        Assert.Equal(new EvalUsage(3, 1, 30, 6, 3, 0.75m), known);

        var partial = EvalMetrics.Compute([Record("a", new EvalUsage(1, 0, 10, 2, 1, 0.25m)), Record("b", null)]).Single().Usage;
        Assert.Equal(1, partial.Calls);
        Assert.Null(partial.InputTokens);
        Assert.Null(partial.Cost);
    }
}
