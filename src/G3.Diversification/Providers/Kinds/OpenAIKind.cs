using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;

namespace G3.Diversification.Providers.Kinds;

/// <summary>OpenAI's API through the official OpenAI SDK (via Microsoft.Extensions.AI.OpenAI); N samples in one call (<c>n</c>).</summary>
internal sealed class OpenAIKind : ILmmProviderKind
{
    private static readonly Uri s_endpoint = new("https://api.openai.com/v1");

    public string Name => LmmProviderKinds.OpenAI;

    public int DefaultMaxImages => G3.Core.Ports.PlaceQuery.MaxImages;

    public string DefaultPromptSettings => "gpt4v";

    public string DefaultImageTokenRule => Tokens.ImageTokenRules.Tiles;

    public int MaxSamplesPerCall(LmmProviderOptions options) => LmmProviderOptions.MaxChoicesPerCall;

    public void Validate(string at, string name, LmmProviderOptions options, List<string> errors)
    {
        if (options.Endpoint is null && string.IsNullOrWhiteSpace(options.ApiKey))
            errors.Add($"{at}:ApiKey is required for api.openai.com (set it from an environment variable such as G3_Lmm__Providers__{name}__ApiKey), or use kind openai-compatible with an Endpoint for a local server.");
    }

    public (IChatClient Client, HttpClient Http) CreateClient(string name, LmmProviderOptions options, TimeProvider time) =>
        Create(name, options, time, options.Endpoint ?? s_endpoint, supportsN: true, legacyMaxTokens: false);

    /// <summary>An OpenAI-protocol client at <paramref name="endpoint"/> (shared with openai-compatible).</summary>
    internal static (IChatClient Client, HttpClient Http) Create(string name, LmmProviderOptions options, TimeProvider time, Uri endpoint, bool supportsN, bool legacyMaxTokens)
    {
        var http = ProviderHttp.Create(name, null, time);
        var sdk = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };
        // Local servers need no key, but the SDK insists on a credential; the placeholder is sent and ignored there.
        var key = string.IsNullOrWhiteSpace(options.ApiKey) ? "no-key" : options.ApiKey;
        var chat = new OpenAIClient(new ApiKeyCredential(key), sdk).GetChatClient(options.Model).AsIChatClient();
        return (new OpenAIChoicesChatClient(chat, supportsN, legacyMaxTokens), http);
    }
}
