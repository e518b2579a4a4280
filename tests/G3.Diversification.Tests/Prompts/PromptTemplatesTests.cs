using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Diversification.Caching;
using G3.Diversification.Generation;
using G3.Diversification.Orchestration;
using G3.Diversification.Prompts;
using G3.Diversification.Providers;
using G3.Diversification.Tests.Generation;
using Microsoft.Extensions.AI;
using KernelFunction = Microsoft.SemanticKernel.KernelFunction;

namespace G3.Diversification.Tests.Prompts;

/// <summary>G3's prompts as Semantic Kernel prompt functions, rendered by the kernel and seen where the chat client receives them.</summary>
public class PromptTemplatesTests
{
    private static readonly QueryImage Jpeg = new(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3 });

    private static readonly ReferencePhoto[] Similar =
    [
        new("a", new GeoPoint(48.8566, 2.3522), 0.9, new Place(City: "Paris", State: "Île-de-France", Country: "France", Continent: "Europe")),
        new("b", new GeoPoint(45.764, 4.8357), 0.8, new Place(City: "Lyon", State: "Auvergne-Rhône-Alpes", Country: "France", Continent: "Europe")),
    ];

    private static readonly ReferencePhoto[] Dissimilar = [new("z", new GeoPoint(-33.8688, 151.2093), -0.5, new Place(City: "Sydney", Country: "Australia"))];

    /// <summary>The user message the provider received for one generation, and the options it came with.</summary>
    private static async Task<(ChatMessage Message, ChatOptions Options)> SentAsync(
        IReadOnlyList<ReferencePhoto> similar, PlaceGranularity placeText = PlaceGranularity.None, PromptTemplates? prompts = null,
        GenerationSettings? settings = null, string profile = "gpt4v", double? temperature = null)
    {
        var client = new ScriptedChatClient(_ => "{\"latitude\": 1, \"longitude\": 2}");
        var generator = new LmmCandidateGenerator(LmmKernel.Create([("p", client)]), new LmmProviderInfo("p", "openai", "m", 10, profile),
            prompts ?? PromptTemplates.Default, ResponseCache.Disabled, settings);
        await generator.GenerateAsync(new GenerationRequest(Jpeg, new PromptVariant(0, similar.Count), similar, similar.Count == 0 ? [] : Dissimilar, 0, 1, temperature, placeText), default);
        var (messages, options) = Assert.Single(client.Requests);
        return (Assert.Single(messages), options!);
    }

    [Fact]
    public async Task Zero_shot_prompt_asks_for_a_JSON_best_guess_with_the_photo_and_no_references()
    {
        var (message, _) = await SentAsync([]);

        Assert.Equal(ChatRole.User, message.Role);
        var text = Assert.IsType<TextContent>(message.Contents[0]).Text;
        Assert.Contains("{\"latitude\": float, \"longitude\": float}", text, StringComparison.Ordinal);
        Assert.Contains("best guess", text, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("(48.", text, StringComparison.Ordinal);
        var image = Assert.IsType<DataContent>(message.Contents[1]);
        Assert.Equal("image/jpeg", image.MediaType);
        Assert.Equal(Jpeg.Bytes.ToArray(), image.Data.ToArray());
    }

    [Fact]
    public async Task RAG_prompt_lists_similar_then_dissimilar_coordinates()
    {
        var text = (await SentAsync(Similar)).Message.Text;

        Assert.Contains("(48.8566, 2.3522), (45.7640, 4.8357)", text, StringComparison.Ordinal);
        Assert.Contains("(-33.8688, 151.2093)", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("48.8566", StringComparison.Ordinal) < text.IndexOf("-33.8688", StringComparison.Ordinal));
        Assert.DoesNotContain("Paris", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PlaceGranularity.City, "(48.8566, 2.3522) Paris, Île-de-France, France; (45.7640, 4.8357) Lyon")]
    [InlineData(PlaceGranularity.Country, "(48.8566, 2.3522) France; (45.7640, 4.8357) France")]
    public async Task Place_text_follows_the_requested_granularity(PlaceGranularity granularity, string expected) =>
        Assert.Contains(expected, (await SentAsync(Similar, granularity)).Message.Text, StringComparison.Ordinal);

    [Theory]
    [InlineData("gpt4v", 1.2f)]
    [InlineData("llava", 0.7f)]
    public async Task Execution_settings_come_from_the_providers_profile(string profile, float temperature)
    {
        var (_, options) = await SentAsync(Similar, profile: profile);

        Assert.Equal(temperature, options.Temperature!.Value, 3);
        Assert.Equal(200, options.MaxOutputTokens);
        Assert.Equal("low", LmmCallSettings.Of(options).ImageDetail);
    }

    [Fact]
    public async Task A_prompt_folder_overrides_a_shipped_prompt_and_adds_one_chosen_by_name()
    {
        var dir = Directory.CreateTempSubdirectory("g3-prompts").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "rag"));
            File.WriteAllText(Path.Combine(dir, "rag", PromptTemplates.TemplateFile),
                "<message role=\"user\"><text>Near {{$similar}}; {{$count}} refs; far from {{$dissimilar}}.</text><image>{{$image}}</image></message>");
            Directory.CreateDirectory(Path.Combine(dir, "terse"));
            File.WriteAllText(Path.Combine(dir, "terse", PromptTemplates.TemplateFile), "<message role=\"user\"><text>Coordinates?</text><image>{{$image}}</image></message>");
            File.WriteAllText(Path.Combine(dir, "terse", PromptTemplates.ConfigFile),
                """{"schema":1,"input_variables":[{"name":"image"}],"execution_settings":{"default":{"temperature":0.1,"max_tokens":50}}}""");

            var prompts = PromptTemplates.FromDirectory(dir);

            Assert.Equal(["rag", "terse", "zero_shot"], prompts.Names.Order());
            Assert.Equal("Near (48.8566, 2.3522), (45.7640, 4.8357); 2 refs; far from (-33.8688, 151.2093).", (await SentAsync(Similar, prompts: prompts)).Message.Text);
            var (terse, options) = await SentAsync([], prompts: prompts, settings: new GenerationSettings(ZeroShotPrompt: "terse", PromptSettings: "default"));
            Assert.Equal("Coordinates?", terse.Text);
            Assert.Equal(0.1f, options.Temperature!.Value, 3);
            Assert.Equal(50, options.MaxOutputTokens);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void A_RAG_template_without_the_similar_variable_is_refused()
    {
        var dir = Directory.CreateTempSubdirectory("g3-prompts").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "rag"));
            File.WriteAllText(Path.Combine(dir, "rag", PromptTemplates.TemplateFile), "<message role=\"user\"><text>Where?</text><image>{{$image}}</image></message>");
            var ex = Assert.Throws<ArgumentException>(() => PromptTemplates.FromDirectory(dir));
            Assert.Contains("{{$similar}}", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Unknown_prompt_or_settings_names_are_errors_not_silent_defaults()
    {
        var kernel = LmmKernel.Create([]);
        var info = new LmmProviderInfo("p", "openai", "m", 10, "gpt4v");
        var prompt = Assert.Throws<ArgumentException>(() => new LmmCandidateGenerator(kernel, info, PromptTemplates.Default, ResponseCache.Disabled, new GenerationSettings(RagPrompt: "rag2")));
        Assert.Contains("zero_shot, rag", prompt.Message, StringComparison.Ordinal);
        var profile = Assert.Throws<ArgumentException>(() => new LmmCandidateGenerator(kernel, info, PromptTemplates.Default, ResponseCache.Disabled, new GenerationSettings(PromptSettings: "gpt5")));
        Assert.Contains("'gpt5'", profile.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_prompts_are_semantic_kernel_functions_in_one_plugin()
    {
        var plugin = PromptTemplates.Default.AsPlugin();
        Assert.Equal("G3", plugin.Name);
        Assert.Equal(["rag", "zero_shot"], plugin.Select(f => f.Name).Order());
        Assert.Contains(PromptTemplates.Default.Function("rag").Metadata.Parameters, p => p.Name == "similar");
        Assert.IsAssignableFrom<KernelFunction>(PromptTemplates.Default.Function("zero_shot"));
    }
}
