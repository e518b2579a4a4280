using OpenAI.Chat;

namespace G3.Diversification.Providers;

/// <summary>
/// Request fields the OpenAI SDK 2.15 does not expose as stable public properties: <c>n</c> (ChatCompletionOptions.N
/// is internal), <c>seed</c> (experimental OPENAI001) and the legacy <c>max_tokens</c> (the public MaxOutputTokenCount
/// writes <c>max_completion_tokens</c>, which Ollama's /v1 and older servers ignore). They are written through the
/// SDK's JSON patch, which System.ClientModel marks experimental (SCME0001): this file is the one place that uses it.
/// </summary>
internal static class OpenAIRequestFields
{
#pragma warning disable SCME0001 // JsonPatch: the SDK's supported way to send fields it has no property for; pinned SDK version.
    public static void SetChoiceCount(ChatCompletionOptions options, int n) => options.Patch.Set("$.n"u8, n);

    public static void SetSeed(ChatCompletionOptions options, long seed) => options.Patch.Set("$.seed"u8, seed);

    public static void SetLegacyMaxTokens(ChatCompletionOptions options, int maxTokens) => options.Patch.Set("$.max_tokens"u8, maxTokens);
#pragma warning restore SCME0001
}
