using Microsoft.Extensions.AI;

namespace G3.Diversification.Providers.Kinds;

/// <summary>
/// One provider kind (openai, azure-openai, ollama, openai-compatible): how its settings are checked, how its SDK client
/// is made, and its defaults. Adding a kind is one file implementing this, listed in <see cref="ProviderKinds"/>, plus
/// its example in appsettings.json.
/// </summary>
public interface ILmmProviderKind
{
    /// <summary>The value of <see cref="LmmProviderOptions.Kind"/> that selects it.</summary>
    string Name { get; }

    /// <summary>Adds a message (naming the setting under <paramref name="at"/>) for each kind-specific problem.</summary>
    void Validate(string at, string name, LmmProviderOptions options, List<string> errors);

    /// <summary>The raw SDK chat client and the HttpClient under it (both owned by the caller). The SDK's own retries are off.</summary>
    (IChatClient Client, HttpClient Http) CreateClient(string name, LmmProviderOptions options, TimeProvider time);

    /// <summary>How many samples one call returns (<c>n</c>): more than 1 means N samples go in one call, 1 means N calls.</summary>
    int MaxSamplesPerCall(LmmProviderOptions options);

    /// <summary>Photos one prompt shows when <see cref="LmmProviderOptions.MaxImages"/> is unset.</summary>
    int DefaultMaxImages { get; }

    /// <summary>The prompt-settings profile when <see cref="LmmProviderOptions.PromptSettings"/> is unset.</summary>
    string DefaultPromptSettings { get; }

    /// <summary>How an image is counted in input tokens when Tokens:Images:Rule is unset: tiles (OpenAI's rule) or fixed (one vision input size, as LLaVA).</summary>
    string DefaultImageTokenRule { get; }
}
