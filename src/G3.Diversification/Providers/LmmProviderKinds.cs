namespace G3.Diversification.Providers;

/// <summary>The provider kinds a configured LMM can have (<see cref="LmmProviderOptions.Kind"/>).</summary>
public static class LmmProviderKinds
{
    /// <summary>OpenAI's API (or any server that is OpenAI itself behind a proxy), through the official OpenAI SDK.</summary>
    public const string OpenAI = "openai";

    /// <summary>Azure OpenAI, through <c>AzureOpenAIClient</c>: deployments, API versions, key or Entra ID.</summary>
    public const string AzureOpenAI = "azure-openai";

    /// <summary>Ollama's native <c>/api/chat</c>, through OllamaSharp's <c>OllamaApiClient</c>.</summary>
    public const string Ollama = "ollama";

    /// <summary>Any OpenAI-compatible chat-completions server (vLLM, llama.cpp server, LM Studio) by base URL, through the OpenAI SDK.</summary>
    public const string OpenAICompatible = "openai-compatible";

    /// <summary>No LMM: the pipeline runs on retrieval candidates only.</summary>
    public const string None = "none";

    /// <summary>Every kind in <see cref="Kinds.ProviderKinds"/>, then "none".</summary>
    public static IReadOnlyList<string> All { get; } = [.. Kinds.ProviderKinds.All.Select(k => k.Name), None];
}

/// <summary>Values of <see cref="LmmProviderOptions.StructuredOutput"/>.</summary>
public static class StructuredOutputModes
{
    /// <summary>The prompt asks for JSON; nothing else constrains the answer (the reference implementation's way).</summary>
    public const string Off = "off";

    /// <summary>JSON mode: OpenAI <c>response_format: json_object</c>, Ollama <c>format: "json"</c>.</summary>
    public const string Json = "json";

    /// <summary>The answer's JSON schema ({latitude, longitude}): OpenAI <c>json_schema</c>, Ollama <c>format: {schema}</c>.</summary>
    public const string JsonSchema = "json_schema";

    public static IReadOnlyList<string> All { get; } = [Off, Json, JsonSchema];
}
