using Microsoft.Extensions.AI;

namespace G3.Diversification.Providers.Kinds;

/// <summary>Any OpenAI-compatible chat-completions server (vLLM, llama.cpp server, LM Studio) by base URL, through the OpenAI SDK.</summary>
internal sealed class OpenAICompatibleKind : ILmmProviderKind
{
    public string Name => LmmProviderKinds.OpenAICompatible;

    public int DefaultMaxImages => G3.Core.Ports.PlaceQuery.MaxImages;

    public string DefaultPromptSettings => "gpt4v";

    public string DefaultImageTokenRule => Tokens.ImageTokenRules.Fixed;

    /// <summary>Servers that ignore <c>n</c> (some llama.cpp builds) are set SupportsN = false: then N calls.</summary>
    public int MaxSamplesPerCall(LmmProviderOptions options) => options.SupportsN ? LmmProviderOptions.MaxChoicesPerCall : 1;

    public void Validate(string at, string name, LmmProviderOptions options, List<string> errors)
    {
        if (options.Endpoint is null)
            errors.Add($"{at}:Endpoint is required for openai-compatible (the API base, e.g. \"http://localhost:8000/v1\").");
    }

    public (IChatClient Client, HttpClient Http) CreateClient(string name, LmmProviderOptions options, TimeProvider time) =>
        OpenAIKind.Create(name, options, time, options.Endpoint!, options.SupportsN, legacyMaxTokens: options.TokenLimitField == "max_tokens");
}
