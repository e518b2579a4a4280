using G3.Diversification.Prompts;

namespace G3.Evaluation.Tests;

/// <summary>Prompt-ablation configurations choose prompts and execution settings by name; a misspelt name is refused.</summary>
public class PromptChoiceTests
{
    [Fact]
    public void A_configuration_names_its_prompts_and_settings_profile()
    {
        var spec = new ConfigurationSpec("llava-rag", RagPrompt: PromptTemplates.Rag, PromptSettings: "llava");
        var settings = spec.Generation(PromptTemplates.Default);
        Assert.NotNull(settings);
        Assert.Equal("llava", settings.PromptSettings);
        Assert.Equal(PromptTemplates.ZeroShot, settings.ZeroShotPrompt);
    }

    [Fact]
    public void Defaults_pass_their_prompt_choice_to_configurations()
    {
        var merged = new ConfigurationSpec("a").Over(new ConfigurationSpec("defaults", PromptSettings: "gpt4v"));
        Assert.Equal("gpt4v", merged.Generation(PromptTemplates.Default)?.PromptSettings);
        Assert.Null(new ConfigurationSpec("b").Generation(PromptTemplates.Default));
    }

    [Theory]
    [InlineData(null, "lava", "lava")]
    [InlineData("zero_shoot", null, "zero_shoot")]
    public void A_misspelt_prompt_or_profile_is_refused_by_name(string? zeroShot, string? profile, string named)
    {
        var spec = new ConfigurationSpec("typo", ZeroShotPrompt: zeroShot, PromptSettings: profile);
        var ex = Assert.Throws<InvalidDataException>(() => spec.Generation(PromptTemplates.Default));
        Assert.Contains($"'{named}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'typo'", ex.Message, StringComparison.Ordinal);
    }
}
