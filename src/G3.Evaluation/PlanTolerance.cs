using G3.Diversification.Providers;

namespace G3.Evaluation;

/// <summary>How far a plan's token estimates may be from what providers report: what g3 eval --plan and docs/lmm.md state.</summary>
public static class PlanTolerance
{
    /// <summary>
    /// The relative error of estimated input tokens: ±5 % where the provider counts as OpenAI documents (openai, azure-openai:
    /// tiktoken text, chat-format tokens, the tile rule for images); ±25 % for ollama and openai-compatible servers, whose
    /// models have vocabularies of their own that the tiktoken count only approximates.
    /// </summary>
    public static double InputShare(string kind) => kind is LmmProviderKinds.OpenAI or LmmProviderKinds.AzureOpenAI ? 0.05 : 0.25;

    public const string Statement =
        "Calls are exact for the cache as it is now, if the run's calls succeed and no two identical requests overlap in time " +
        "(a call that fails is asked again by the next run). Input tokens are estimated within ±5 % for openai and azure-openai " +
        "(tiktoken text, chat-format tokens, OpenAI's image tile rule; checked against a stub that counts as OpenAI documents) and " +
        "±25 % for ollama and openai-compatible (their vocabularies differ from tiktoken's). Output tokens are the completion limit " +
        "times the samples: an upper bound, which the estimated cost uses. Only primary providers are planned; fallbacks answer when they fail.";
}
