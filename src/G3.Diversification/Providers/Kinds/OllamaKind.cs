using Microsoft.Extensions.AI;
using OllamaSharp;

namespace G3.Diversification.Providers.Kinds;

/// <summary>
/// Ollama's native <c>/api/chat</c> through OllamaSharp's <c>OllamaApiClient</c>. One sample per call (Ollama has no
/// <c>n</c>), one photo per prompt (LLaVA was trained on one image per prompt), the "llava" sampling profile.
/// </summary>
internal sealed class OllamaKind : ILmmProviderKind
{
    public string Name => LmmProviderKinds.Ollama;

    public int DefaultMaxImages => 1;

    public string DefaultPromptSettings => "llava";

    public string DefaultImageTokenRule => Tokens.ImageTokenRules.Fixed;

    public int MaxSamplesPerCall(LmmProviderOptions options) => 1;

    public void Validate(string at, string name, LmmProviderOptions options, List<string> errors)
    {
        if (options.Endpoint is null)
            errors.Add($"{at}:Endpoint is required for ollama (e.g. \"http://localhost:11434\").");
    }

    public (IChatClient Client, HttpClient Http) CreateClient(string name, LmmProviderOptions options, TimeProvider time)
    {
        var http = ProviderHttp.Create(name, options.Endpoint, time);
        IChatClient ollama = new OllamaUsageChatClient(new OllamaApiClient(http, options.Model));
        return (options.KeepAlive is { } keepAlive ? new OllamaKeepAliveChatClient(ollama, keepAlive) : ollama, http);
    }
}
