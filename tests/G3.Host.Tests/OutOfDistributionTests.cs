using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using G3.Cli;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace G3.Host.Tests;

/// <summary>
/// The out-of-distribution flag from the manifest to every surface: /v1/geolocate's JSON, the chat
/// answer in words, and `g3 geolocate`. The fixture model gets an "outOfDistribution" section with a
/// threshold above any cosine similarity (every photo flagged) or below any (none flagged).
/// </summary>
public sealed class OutOfDistributionTests(ServiceFixture service) : IClassFixture<ServiceFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("g3-ood").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    /// <summary>The fixture's manifest and ONNX files, with an OOD threshold added.</summary>
    private string ManifestWithThreshold(double threshold)
    {
        var folder = Path.Combine(_dir, threshold.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var source = Path.GetDirectoryName(service.ManifestPath)!;
        foreach (var f in Directory.GetFiles(source, "*.onnx")) File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        var manifest = JsonNode.Parse(File.ReadAllText(service.ManifestPath))!.AsObject();
        manifest["outOfDistribution"] = new JsonObject { ["score"] = "mean-top-k-similarity", ["topK"] = 3, ["threshold"] = threshold, ["measuredOn"] = "test" };
        var path = Path.Combine(folder, "manifest.json");
        File.WriteAllText(path, manifest.ToJsonString());
        return path;
    }

    private static Task<HttpClient> ReadyClientAsync(WebApplicationFactory<Program> factory) => factory.CreateClient().WhenReadyAsync();

    private static MultipartFormDataContent Upload(string file)
    {
        var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(File.ReadAllBytes(TestPaths.Fixture("images", file)));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(content, "image", file);
        return form;
    }

    [Theory]
    [InlineData(2.0, true)]
    [InlineData(-2.0, false)]
    public async Task The_API_and_the_chat_answer_carry_the_flag_with_its_score(double threshold, bool flagged)
    {
        await using var factory = service.WithWebHostBuilder(b => b.UseSetting("Model:Manifest", ManifestWithThreshold(threshold)));
        using var client = await ReadyClientAsync(factory);

        using var response = await client.PostAsync(new Uri("/v1/geolocate", UriKind.Relative), Upload("landscape.jpg"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var ood = body.GetProperty("out_of_distribution");
        Assert.Equal(flagged, ood.GetProperty("flagged").GetBoolean());
        Assert.Equal(threshold, ood.GetProperty("threshold").GetDouble());
        // The score is the mean similarity of the top 3 references, the first of which is the photo itself.
        var similar = body.GetProperty("references").GetProperty("similar").EnumerateArray().Take(3).Select(r => r.GetProperty("similarity").GetDouble()).ToList();
        Assert.Equal(similar.Average(), ood.GetProperty("score").GetDouble(), 5);

        var dataUrl = "data:image/jpeg;base64," + Convert.ToBase64String(File.ReadAllBytes(TestPaths.Fixture("images", "landscape.jpg")));
        var message = new { role = "user", content = new object[] { new { type = "image_url", image_url = new { url = dataUrl } } } };
        using var chat = await client.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative), new { model = "g3", messages = new[] { message } });
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        var answer = (await chat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        Assert.Equal(flagged, answer.Contains("doesn't resemble anything in the reference collection; the guess below is weak", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_cli_says_when_a_photo_is_unlike_the_collection()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string[] args = ["geolocate", TestPaths.Fixture("images", "landscape.jpg"), $"--Model:Manifest={ManifestWithThreshold(2.0)}",
            $"--Store:Embedded:Directory={service.StorePath}", "--Cache:Mode=Off"];
        var exit = await G3Cli.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        Assert.True(exit == 0, error.ToString());
        Assert.Contains("unlike anything in the reference collection: score", output.ToString(), StringComparison.Ordinal);
    }
}
