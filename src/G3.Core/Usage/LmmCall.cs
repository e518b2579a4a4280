namespace G3.Core.Usage;

/// <summary>
/// One answer-giving exchange with an LMM provider for a request: a call that came back (its tokens as reported), or
/// answers that cost no call (<see cref="FromCache"/>: replayed from the response cache, or shared with an identical
/// request in flight), which count zero tokens and are counted apart.
/// </summary>
/// <param name="Provider">The configured provider's name.</param>
/// <param name="Model">The model the provider was configured to ask.</param>
/// <param name="Answers">How many samples it answered.</param>
public sealed record LmmCall(string Provider, string Model, bool FromCache, int Answers, TokenUsage Tokens)
{
    public static LmmCall Cached(string provider, string model, int answers) => new(provider, model, true, answers, TokenUsage.Zero);
}
