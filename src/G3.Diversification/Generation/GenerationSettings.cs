using G3.Diversification.Prompts;

namespace G3.Diversification.Generation;

/// <summary>
/// Which prompts and which execution settings a generator uses, by name: what prompt-ablation experiments vary.
/// </summary>
/// <param name="ZeroShotPrompt">The prompt for variants without references (a name in the <see cref="PromptTemplates"/> set).</param>
/// <param name="RagPrompt">The prompt for variants with references.</param>
/// <param name="PromptSettings">The execution-settings profile of the prompts' config.json; null = the provider's own ("gpt4v", "llava").</param>
public sealed record GenerationSettings(string ZeroShotPrompt = PromptTemplates.ZeroShot, string RagPrompt = PromptTemplates.Rag, string? PromptSettings = null)
{
    /// <summary>Every name must exist in <paramref name="prompts"/>: a typo in an experiment is an error, not a silent default.</summary>
    public void EnsureValid(PromptTemplates prompts)
    {
        prompts.Function(ZeroShotPrompt);
        prompts.Function(RagPrompt);
        if (PromptSettings is { } profile)
            foreach (var name in new[] { ZeroShotPrompt, RagPrompt })
                if (!prompts.Configs[name].ExecutionSettings.ContainsKey(profile))
                    throw new ArgumentException($"prompt '{name}' has no execution settings named '{profile}'; it has: {string.Join(", ", prompts.Configs[name].ExecutionSettings.Keys)}.");
    }
}
