using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Azure.Identity;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Providers.Kinds;

/// <summary>Azure OpenAI through <c>AzureOpenAIClient</c>: deployments, API versions, key or Entra ID; N samples in one call.</summary>
internal sealed class AzureOpenAIKind : ILmmProviderKind
{
    public string Name => LmmProviderKinds.AzureOpenAI;

    public int DefaultMaxImages => G3.Core.Ports.PlaceQuery.MaxImages;

    public string DefaultPromptSettings => "gpt4v";

    public string DefaultImageTokenRule => Tokens.ImageTokenRules.Tiles;

    public int MaxSamplesPerCall(LmmProviderOptions options) => LmmProviderOptions.MaxChoicesPerCall;

    public void Validate(string at, string name, LmmProviderOptions options, List<string> errors)
    {
        if (options.Endpoint is null)
            errors.Add($"{at}:Endpoint is required for azure-openai (e.g. \"https://my-resource.openai.azure.com/\").");
        if (options.ApiVersion is { } v && AzureApiVersions.Parse(v) is null)
            errors.Add($"{at}:ApiVersion '{v}' is not one this build knows; use one of {string.Join(", ", AzureApiVersions.Known)}.");
    }

    public (IChatClient Client, HttpClient Http) CreateClient(string name, LmmProviderOptions options, TimeProvider time)
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
}
