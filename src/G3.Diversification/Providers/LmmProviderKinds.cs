namespace G3.Diversification.Providers;

/// <summary>The provider kinds a configured LMM can have (<see cref="LmmProviderOptions.Kind"/>).</summary>
public static class LmmProviderKinds
{
    /// <summary>Any OpenAI-compatible chat-completions server, through the official OpenAI SDK.</summary>
    public const string OpenAI = "openai";

    /// <summary>Ollama's native <c>/api/chat</c>.</summary>
    public const string Ollama = "ollama";

    /// <summary>No LMM: the pipeline runs on retrieval candidates only.</summary>
    public const string None = "none";

    public static IReadOnlyList<string> All { get; } = [OpenAI, Ollama, None];
}
