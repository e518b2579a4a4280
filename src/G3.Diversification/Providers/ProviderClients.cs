using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Azure.Identity;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OpenAI;

namespace G3.Diversification.Providers;

/// <summary>
/// The raw chat client of each provider kind, straight from its official package, each over its own
/// <see cref="ProviderHttp"/> client. The SDKs' own retries are off: the provider pipeline owns retrying.
/// </summary>
internal static class ProviderClients
{
    private static readonly Uri s_openAIEndpoint = new("https://api.openai.com/v1");

    /// <summary>The client and the HttpClient under it (owned by the caller).</summary>
    public static (IChatClient Client, HttpClient Http) Create(string name, LmmProviderOptions options, TimeProvider time)
    {
        switch (options.Kind)
        {
            case LmmProviderKinds.OpenAI:
            case LmmProviderKinds.OpenAICompatible:
            {
                var http = ProviderHttp.Create(name, null, time);
                var sdk = new OpenAIClientOptions
                {
                    Endpoint = options.Endpoint ?? s_openAIEndpoint,
                    Transport = new HttpClientPipelineTransport(http),
                    RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                    NetworkTimeout = Timeout.InfiniteTimeSpan,
                };
                // Local servers need no key, but the SDK insists on a credential; the placeholder is sent and ignored there.
                var key = string.IsNullOrWhiteSpace(options.ApiKey) ? "no-key" : options.ApiKey;
                var chat = new OpenAIClient(new ApiKeyCredential(key), sdk).GetChatClient(options.Model).AsIChatClient();
                var legacyTokens = options.Kind == LmmProviderKinds.OpenAICompatible && options.TokenLimitField == "max_tokens";
                return (new OpenAIChoicesChatClient(chat, options.MaxSamplesPerCall > 1, legacyTokens), http);
            }
            case LmmProviderKinds.AzureOpenAI:
            {
                var http = ProviderHttp.Create(name, null, time);
                var sdk = options.ApiVersion is { } v && AzureApiVersions.Parse(v) is { } version
                    ? new AzureOpenAIClientOptions(version)
                    : new AzureOpenAIClientOptions();
                sdk.Transport = new HttpClientPipelineTransport(http);
                sdk.RetryPolicy = new ClientRetryPolicy(maxRetries: 0);
                sdk.NetworkTimeout = Timeout.InfiniteTimeSpan;
                var endpoint = options.Endpoint!;
                var azure = string.IsNullOrWhiteSpace(options.ApiKey)
                    ? new AzureOpenAIClient(endpoint, new DefaultAzureCredential(), sdk) // Entra ID: managed identity, workload identity, CLI, ...
                    : new AzureOpenAIClient(endpoint, new ApiKeyCredential(options.ApiKey), sdk);
                var chat = azure.GetChatClient(options.Deployment ?? options.Model).AsIChatClient();
                return (new OpenAIChoicesChatClient(chat, supportsN: true, legacyMaxTokens: false), http);
            }
            case LmmProviderKinds.Ollama:
            {
                var http = ProviderHttp.Create(name, options.Endpoint, time);
                IChatClient ollama = new OllamaApiClient(http, options.Model);
                return (options.KeepAlive is { } keepAlive ? new OllamaKeepAliveChatClient(ollama, keepAlive) : ollama, http);
            }
            default:
                throw new ArgumentException($"Provider '{name}' has kind '{options.Kind}', which has no chat client.", nameof(options));
        }
    }
}
