using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using G3.Cli;

namespace G3.Host.Tests;

/// <summary>Answers per level (country, region, city) through the real host: the API's JSON, the chat answer and the CLI.</summary>
public class LevelAnswersTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private static readonly string[] LevelNames = ["country", "region", "city"];

    private static byte[] Photo(string name) => File.ReadAllBytes(TestPaths.Fixture("images", name));

    private static async Task<JsonElement> GeolocateAsync(HttpClient client, string photo)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Photo(photo));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "image", photo);
        using var response = await client.PostAsync(new Uri("/v1/geolocate", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The line the answer should carry, rebuilt from the JSON by the documented rule.</summary>
    private static string ExpectedLine(JsonElement levels)
    {
        static string Said(JsonElement l) => l.GetProperty("uncertain").GetBoolean()
            ? "uncertain"
            : string.Create(CultureInfo.InvariantCulture, $"{l.GetProperty("label").GetString()} ({l.GetProperty("confidence").GetDouble():0.00})");
        var country = levels.GetProperty("country");
        if (country.GetProperty("unplaced").GetBoolean() && !country.GetProperty("uncertain").GetBoolean())
            return "Country: " + Said(country);
        return $"Country: {Said(country)} · Region: {Said(levels.GetProperty("region"))} · City: {Said(levels.GetProperty("city"))}";
    }

    [FactRequiringGeoData]
    public async Task The_API_answers_each_level_with_masses_that_sum_to_one_and_nest()
    {
        using var client = await service.ReadyClientAsync();
        foreach (var photo in new[] { "lossy.webp", "landscape.jpg", "gray.jpg" })
        {
            var body = await GeolocateAsync(client, photo);
            var levels = body.GetProperty("levels");
            var threshold = levels.GetProperty("uncertain_below").GetDouble();
            Assert.Equal(0.4, threshold); // appsettings.json's Pipeline:LevelUncertainBelow
            Assert.False(levels.GetProperty("calibrated").GetBoolean());
            var parentMass = 1.0;
            string? parentKey = null;
            foreach (var name in LevelNames)
            {
                var level = levels.GetProperty(name);
                var units = level.GetProperty("units").EnumerateArray().ToList();
                var unplaced = level.GetProperty("unplaced_mass").GetDouble();
                // Every candidate's probability lands in exactly one unit or in the unplaced bucket.
                Assert.Equal(1.0, units.Sum(u => u.GetProperty("mass").GetDouble()) + unplaced, 9);
                var confidence = level.GetProperty("confidence").GetDouble();
                Assert.InRange(confidence, 0, 1);
                Assert.Equal(confidence < threshold, level.GetProperty("uncertain").GetBoolean());
                // A nested answer never holds more mass than the answer above it.
                Assert.True(confidence <= parentMass + 1e-12, $"{photo}: {name} {confidence} > parent {parentMass}");
                if (level.GetProperty("unplaced").GetBoolean())
                {
                    Assert.False(level.TryGetProperty("name", out _));
                    Assert.True(confidence <= unplaced + 1e-12);
                }
                else
                {
                    var key = level.GetProperty("key").GetString()!;
                    // The answered unit's confidence is its own mass in the list.
                    Assert.Equal(confidence, units.Single(u => u.GetProperty("key").GetString() == key).GetProperty("mass").GetDouble(), 12);
                    if (name == "region" && parentKey is not null) Assert.StartsWith(parentKey + "/", key, StringComparison.Ordinal);
                    if (name == "country") parentKey = key;
                }
                parentMass = confidence;
            }
        }
    }

    [FactRequiringGeoData]
    public async Task The_chat_answer_says_the_levels_line_and_carries_the_levels_in_its_extras()
    {
        using var client = await service.ReadyClientAsync();
        var url = "data:image/webp;base64," + Convert.ToBase64String(Photo("lossy.webp"));
        var message = new
        {
            role = "user",
            content = new object[] { new { type = "text", text = "Where is this?" }, new { type = "image_url", image_url = new { url } } },
        };
        using var response = await client.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative), new { model = "g3", messages = new[] { message } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var content = body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        var levels = body.GetProperty("g3").GetProperty("levels");
        var line = ExpectedLine(levels);
        Assert.StartsWith("Country: ", line, StringComparison.Ordinal);
        Assert.Contains("\n" + line + "\n", content.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Out, string Err)> RunCli(params string[] extra)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string[] args = ["geolocate", .. extra, $"--Model:Manifest={service.ManifestPath}", $"--Store:Embedded:Directory={service.StorePath}", "--Cache:Mode=Off"];
        var exit = await G3Cli.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [FactRequiringGeoData]
    public async Task The_CLI_prints_the_levels_line_under_each_photo()
    {
        var photo = TestPaths.Fixture("images", "landscape.jpg");
        var (jsonExit, json, jsonError) = await RunCli("--json", photo);
        Assert.True(jsonExit == 0, jsonError);
        using var doc = JsonDocument.Parse(json.Trim());
        var line = ExpectedLine(doc.RootElement.GetProperty("levels"));

        var (exit, table, error) = await RunCli(photo);
        Assert.True(exit == 0, error);
        var rows = table.ReplaceLineEndings("\n").Split('\n');
        var at = Array.FindIndex(rows, r => r.StartsWith("landscape.jpg", StringComparison.Ordinal));
        Assert.True(at >= 0, table);
        Assert.Equal(line, rows[at + 1].Trim());
    }

    [Fact]
    public async Task An_uncertainty_threshold_outside_0_to_1_is_refused_with_the_setting_named()
    {
        var (exit, _, error) = await RunCli(TestPaths.Fixture("images", "landscape.jpg"), "--Pipeline:LevelUncertainBelow=1.5");
        Assert.Equal(1, exit);
        Assert.Contains("LevelUncertainBelow", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_selector_name_is_refused_with_the_setting_named()
    {
        var (exit, _, error) = await RunCli(TestPaths.Fixture("images", "landscape.jpg"), "--Pipeline:Selector=best");
        Assert.Equal(1, exit);
        Assert.Contains("Pipeline:Selector: selector 'best' is unknown: use consensus or argmax", error, StringComparison.Ordinal);
    }
}
