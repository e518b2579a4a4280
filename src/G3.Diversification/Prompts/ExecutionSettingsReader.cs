using System.Globalization;
using System.Text.Json;
using G3.Diversification.Providers;
using Microsoft.SemanticKernel;

namespace G3.Diversification.Prompts;

/// <summary>
/// The one place a prompt config's execution settings are read: G3's own names (<c>n</c>, <c>image_detail</c>) become
/// <see cref="LmmCallSettings"/>, the names Semantic Kernel maps onto ChatOptions stay, and any other name is refused,
/// so a typo in a config.json is an error when the prompt loads instead of a setting that silently does nothing.
/// </summary>
public static class ExecutionSettingsReader
{
    /// <summary>G3's name for <see cref="LmmCallSettings.Choices"/>.</summary>
    public const string ChoiceCount = "n";

    /// <summary>G3's name for <see cref="LmmCallSettings.ImageDetail"/>.</summary>
    public const string ImageDetail = "image_detail";

    /// <summary>The settings Semantic Kernel's ToChatOptions maps onto ChatOptions properties (ExecutionSettingsReaderTests checks each).</summary>
    public static readonly IReadOnlySet<string> KernelSettings = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "temperature", "top_p", "top_k", "seed", "max_tokens", "frequency_penalty", "presence_penalty", "stop_sequences",
        "chat_system_prompt", "chat_developer_prompt", "systemInstruction", "response_format", "reasoning_effort",
    };

    /// <summary>Replaces every profile of <paramref name="config"/> with its read copy; throws <see cref="ArgumentException"/> naming the prompt, profile and setting.</summary>
    public static void Convert(string prompt, PromptTemplateConfig config)
    {
        foreach (var (profile, settings) in config.ExecutionSettings.ToList())
            config.ExecutionSettings[profile] = Read(prompt, profile, settings);
    }

    private static PromptExecutionSettings Read(string prompt, string profile, PromptExecutionSettings source)
    {
        var settings = source.Clone();
        var extension = settings.ExtensionData = source.ExtensionData is { } e ? new Dictionary<string, object>(e) : [];
        var call = LmmCallSettings.Of(source);
        foreach (var (name, value) in source.ExtensionData ?? new Dictionary<string, object>())
        {
            if (KernelSettings.Contains(name) || LmmCallSettings.IsKey(name))
                continue;
            try
            {
                call = name switch
                {
                    ChoiceCount => call with { Choices = Integer(value) },
                    ImageDetail => call with { ImageDetail = Text(value) },
                    _ => throw new ArgumentException(
                        $"unknown setting; known: {string.Join(", ", KernelSettings.Order(StringComparer.Ordinal))}, {ChoiceCount}, {ImageDetail}"),
                };
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"prompt '{prompt}', execution settings '{profile}', setting '{name}' ({Show(value)}): {ex.Message}", ex);
            }
            extension.Remove(name);
        }
        call.ApplyTo(settings);
        return settings;
    }

    private static int Integer(object value) => value switch
    {
        int i => i,
        long l and >= int.MinValue and <= int.MaxValue => (int)l,
        JsonElement { ValueKind: JsonValueKind.Number } e when e.TryGetInt32(out var j) => j,
        _ => throw new ArgumentException("must be a whole number"),
    };

    private static string Text(object value) => value switch
    {
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
        _ => throw new ArgumentException("must be a string"),
    };

    private static string Show(object? value) => value switch
    {
        JsonElement e => e.GetRawText(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "null",
    };
}
