using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Diversification.Caching;
using G3.Diversification.Generation;
using G3.Diversification.Orchestration;
using G3.Diversification.Prompts;
using G3.Diversification.Providers;
using G3.Diversification.Tests.Generation;
using Microsoft.SemanticKernel;

namespace G3.Diversification.Tests.Prompts;

/// <summary>A prompt config's execution settings are read once, when the prompt loads: G3's own names become typed settings, typos are refused.</summary>
public sealed class ExecutionSettingsReaderTests : IDisposable
{
    private const string Template = "<message role=\"user\"><text>Coordinates?</text><image>{{$image}}</image></message>";
    private readonly string _dir = Directory.CreateTempSubdirectory("g3-settings").FullName;

    private PromptTemplates Load(string settingsJson)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "terse")).FullName;
        File.WriteAllText(Path.Combine(folder, PromptTemplates.TemplateFile), Template);
        File.WriteAllText(Path.Combine(folder, PromptTemplates.ConfigFile),
            $$$"""{"schema":1,"input_variables":[{"name":"image"}],"execution_settings":{"default":{{{settingsJson}}}}}""");
        return PromptTemplates.FromDirectory(_dir);
    }

    [Theory]
    [InlineData("""{"max_token": 50}""", "'max_token'")]        // max_tokens, misspelt
    [InlineData("""{"image_detial": "low"}""", "'image_detial'")] // image_detail, misspelt
    [InlineData("""{"image_detail": "ultra"}""", "low, high, auto")]
    [InlineData("""{"image_detail": 1}""", "must be a string")]
    [InlineData("""{"n": 0}""", "at least 1")]
    [InlineData("""{"n": "three"}""", "whole number")]
    public void A_setting_that_would_do_nothing_is_refused_when_the_prompt_loads(string settings, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => Load(settings));
        Assert.Contains("prompt 'terse', execution settings 'default'", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Image_detail_from_a_config_reaches_the_chat_client_typed()
    {
        var prompts = Load("""{"temperature": 0.1, "image_detail": "high"}""");
        var client = new ScriptedChatClient(_ => "{\"latitude\": 1, \"longitude\": 2}");
        var generator = new LmmCandidateGenerator(LmmKernel.Create([("p", client)]), new LmmProviderInfo("p", "openai", "m", 10, "default"),
            prompts, ResponseCache.Disabled, new GenerationSettings(ZeroShotPrompt: "terse"));

        await generator.GenerateAsync(new GenerationRequest(new QueryImage(new byte[] { 0xFF, 0xD8, 0xFF }), new PromptVariant(0, 0), [], [], 0, 2, null, PlaceGranularity.None), default);

        var (_, options) = Assert.Single(client.Requests);
        Assert.Equal(new LmmCallSettings { Choices = 2, ImageDetail = "high" }, LmmCallSettings.Of(options));
        Assert.Equal(0.1f, options!.Temperature!.Value, 3);
        Assert.DoesNotContain(options.AdditionalProperties!.Keys, k => k is "image_detail" or "n");
    }

    [Fact]
    public void The_shipped_prompts_carry_their_image_detail_typed()
    {
        foreach (var (name, config) in PromptTemplates.Default.Configs)
            foreach (var (profile, settings) in config.ExecutionSettings)
            {
                Assert.Equal("low", LmmCallSettings.Of(settings).ImageDetail);
                Assert.False(settings.ExtensionData!.ContainsKey(ExecutionSettingsReader.ImageDetail), $"{name}/{profile} still names image_detail");
            }
    }

    [Fact]
    public void Every_setting_left_to_Semantic_Kernel_becomes_a_ChatOptions_property()
    {
        var values = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase)
        {
            ["temperature"] = 0.5, ["top_p"] = 0.9, ["top_k"] = 5, ["seed"] = 7L, ["max_tokens"] = 10, ["frequency_penalty"] = 0.1,
            ["presence_penalty"] = 0.2, ["stop_sequences"] = new List<string> { "x" }, ["chat_system_prompt"] = "s",
            ["chat_developer_prompt"] = "d", ["systemInstruction"] = "i", ["response_format"] = "json_object", ["reasoning_effort"] = "low",
        };
        Assert.Equal(ExecutionSettingsReader.KernelSettings.Order(StringComparer.OrdinalIgnoreCase), values.Keys.Order(StringComparer.OrdinalIgnoreCase));
        foreach (var (name, value) in values)
        {
            var options = new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { [name] = value } }.ToChatOptions(null);
            Assert.True(options.AdditionalProperties is null || !options.AdditionalProperties.ContainsKey(name), $"Semantic Kernel passes '{name}' on untyped");
        }
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
