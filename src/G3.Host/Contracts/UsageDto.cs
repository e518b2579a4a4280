using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using G3.Core.Usage;

namespace G3.Host.Contracts;

/// <summary>
/// What a geolocation's LMM calls cost: tokens in total and per provider and model, with the answers that cost no call
/// (from the response cache) counted apart. A count a provider did not report is null (unknown), written as null.
/// </summary>
internal sealed record UsageDto(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? InputTokens,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? OutputTokens,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? TotalTokens,
    IReadOnlyList<UsageLineDto> ByModel)
{
    public static UsageDto From(LmmUsage usage) => new(usage.Total.InputTokens, usage.Total.OutputTokens, usage.Total.TotalTokens,
        usage.ByModel.Select(l => new UsageLineDto(l.Provider, l.Model, l.Calls, l.CachedAnswers, l.Tokens.InputTokens, l.Tokens.OutputTokens, l.Tokens.TotalTokens)).ToList());

    /// <summary>OpenAI's chat completion <c>usage</c> object (CompletionUsage), unknown counts as null.</summary>
    public static JsonObject OpenAI(TokenUsage tokens) => new()
    {
        ["prompt_tokens"] = tokens.InputTokens,
        ["completion_tokens"] = tokens.OutputTokens,
        ["total_tokens"] = tokens.TotalTokens,
    };
}

/// <param name="Calls">Provider calls that came back (each billed).</param>
/// <param name="CachedAnswers">Answers replayed from the cache or shared with an identical request in flight: no call, no tokens.</param>
internal sealed record UsageLineDto(
    string Provider,
    string Model,
    int Calls,
    int CachedAnswers,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? InputTokens,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? OutputTokens,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? TotalTokens);
