using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace G3.Diversification.Providers;

/// <summary>
/// G3's own per-call settings, which <see cref="ChatOptions"/> has no property for: how many independent choices one
/// call returns (OpenAI's <c>n</c>), and the vision detail for images that carry none. They travel as one typed value
/// under one private key, placed and read only through this type, so no caller spells a key and a misspelt one cannot
/// drop a setting. Prompt configs may name them (<c>n</c>, <c>image_detail</c>); <see cref="Prompts.ExecutionSettingsReader"/>
/// converts those names, once, when a prompt is loaded.
/// </summary>
public sealed record LmmCallSettings
{
    // Semantic Kernel copies execution-settings entries it does not map onto ChatOptions into
    // ChatOptions.AdditionalProperties as they are (objects keep their type), which is how this value gets there.
    private const string Key = "g3.call_settings";

    /// <summary>The detail hints OpenAI's vision API accepts.</summary>
    public static readonly IReadOnlyList<string> ImageDetails = ["low", "high", "auto"];

    /// <summary>One choice, each image at the provider's own detail.</summary>
    public static LmmCallSettings Default { get; } = new();

    /// <summary>How many independent choices the call returns (at least 1).</summary>
    public int Choices
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Choices), value, "the choice count must be at least 1");
    } = 1;

    /// <summary>The detail for images without one ("low", "high" or "auto"); null leaves them as they are.</summary>
    public string? ImageDetail
    {
        get;
        init => field = value is null || ImageDetails.Contains(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ImageDetail), value, $"the image detail must be one of {string.Join(", ", ImageDetails)}");
    }

    /// <summary>The settings the call's options carry; <see cref="Default"/> when they carry none.</summary>
    public static LmmCallSettings Of(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(Key, out var value) == true && value is LmmCallSettings settings ? settings : Default;

    /// <summary>The settings prompt execution settings carry; <see cref="Default"/> when they carry none.</summary>
    public static LmmCallSettings Of(PromptExecutionSettings? settings) =>
        settings?.ExtensionData?.TryGetValue(Key, out var value) == true && value is LmmCallSettings typed ? typed : Default;

    /// <summary>Options that carry these settings (the same instance, changed).</summary>
    public ChatOptions ApplyTo(ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (options.AdditionalProperties ??= [])[Key] = this;
        return options;
    }

    /// <summary>Execution settings that carry these settings to the chat client (the same instance, changed).</summary>
    public PromptExecutionSettings ApplyTo(PromptExecutionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        (settings.ExtensionData ??= new Dictionary<string, object>())[Key] = this;
        return settings;
    }

    /// <summary>True when <paramref name="name"/> is the private key (so the settings reader keeps it).</summary>
    internal static bool IsKey(string name) => name == Key;
}
