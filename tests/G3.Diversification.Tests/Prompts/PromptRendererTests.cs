using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Diversification.Prompts;

namespace G3.Diversification.Tests.Prompts;

public class PromptRendererTests
{
    private static readonly ReferencePhoto[] Similar =
    [
        new("a", new GeoPoint(48.8566, 2.3522), 0.9, new Place(City: "Paris", State: "Île-de-France", Country: "France", Continent: "Europe")),
        new("b", new GeoPoint(45.764, 4.8357), 0.8, new Place(City: "Lyon", State: "Auvergne-Rhône-Alpes", Country: "France", Continent: "Europe")),
    ];

    private static readonly ReferencePhoto[] Dissimilar = [new("z", new GeoPoint(-33.8688, 151.2093), -0.5, new Place(City: "Sydney", Country: "Australia"))];

    [Fact]
    public void Zero_shot_prompt_asks_for_a_JSON_best_guess_and_lists_no_references()
    {
        var prompt = new PromptRenderer(PromptTemplates.Default).Render([], [], PlaceGranularity.None);
        Assert.Contains("{\"latitude\": float, \"longitude\": float}", prompt, StringComparison.Ordinal);
        Assert.Contains("best guess", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("(48.", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void RAG_prompt_lists_similar_and_dissimilar_coordinates()
    {
        var prompt = new PromptRenderer(PromptTemplates.Default).Render(Similar, Dissimilar, PlaceGranularity.None);
        Assert.Contains("(48.8566, 2.3522), (45.7640, 4.8357)", prompt, StringComparison.Ordinal);
        Assert.Contains("(-33.8688, 151.2093)", prompt, StringComparison.Ordinal);
        Assert.True(prompt.IndexOf("48.8566", StringComparison.Ordinal) < prompt.IndexOf("-33.8688", StringComparison.Ordinal));
        Assert.Contains("{\"latitude\": float, \"longitude\": float}", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("Paris", prompt, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PlaceGranularity.City, "(48.8566, 2.3522) Paris, Île-de-France, France; (45.7640, 4.8357) Lyon")]
    [InlineData(PlaceGranularity.Country, "(48.8566, 2.3522) France; (45.7640, 4.8357) France")]
    public void Place_text_follows_the_requested_granularity(PlaceGranularity granularity, string expected)
    {
        var prompt = new PromptRenderer(PromptTemplates.Default).Render(Similar, Dissimilar, granularity);
        Assert.Contains(expected, prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Templates_in_a_folder_override_the_defaults()
    {
        var dir = Directory.CreateTempSubdirectory("g3-prompts").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "rag.txt"), "Near {{similar}}; {{count}} refs; far from {{dissimilar}}.");
            var templates = PromptTemplates.FromDirectory(dir);
            Assert.Equal(PromptTemplates.Default.ZeroShot, templates.ZeroShot);
            var prompt = new PromptRenderer(templates).Render(Similar, Dissimilar, PlaceGranularity.None);
            Assert.Equal("Near (48.8566, 2.3522), (45.7640, 4.8357); 2 refs; far from (-33.8688, 151.2093).", prompt);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void A_RAG_template_without_the_similar_placeholder_is_refused()
    {
        var dir = Directory.CreateTempSubdirectory("g3-prompts").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "rag.txt"), "Where is this?");
            var ex = Assert.Throws<ArgumentException>(() => PromptTemplates.FromDirectory(dir));
            Assert.Contains("{{similar}}", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
