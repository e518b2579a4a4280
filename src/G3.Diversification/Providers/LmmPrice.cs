namespace G3.Diversification.Providers;

/// <summary>
/// What a provider's model bills, for the cost estimates of experiments (Lmm:Providers:NAME:Price). Prices are the
/// operator's to state: none is built in, since they differ by model, contract and date. Amounts are in one currency
/// of the operator's choice; reports print them as plain numbers.
/// </summary>
public sealed record LmmPrice
{
    /// <summary>Per million input (prompt) tokens, images included where the provider counts them as tokens.</summary>
    public decimal InputPerMillionTokens { get; init; }

    /// <summary>Per million output (completion) tokens.</summary>
    public decimal OutputPerMillionTokens { get; init; }

    /// <summary>Per image sent, for providers that bill images apart from tokens; 0 where images are billed as input tokens.</summary>
    public decimal PerImage { get; init; }
}
