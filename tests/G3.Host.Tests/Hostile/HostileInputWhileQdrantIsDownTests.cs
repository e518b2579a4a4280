using System.Net.Http.Headers;
using System.Text.Json;

namespace G3.Host.Tests.Hostile;

/// <summary>
/// The hostile-input suite while the service's Qdrant is down: every case still gets its own 4xx in OpenAI's error
/// shape (input is judged before any server is asked), and the requests that are well formed get 503 with
/// Retry-After, never a 500.
/// </summary>
public class HostileInputWhileQdrantIsDownTests(QdrantDownServiceFixture service) : IClassFixture<QdrantDownServiceFixture>
{

    public static TheoryData<string> Names() => HostileInputTests.Names();

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Each_hostile_request_gets_its_4xx_in_the_OpenAI_error_shape(string name)
    {
        using var client = service.Client();
        await HostileInputTests.AnswersItsCaseAsync(client, name);
    }

    [Fact]
    public async Task The_unbroken_base_requests_get_503_with_Retry_After_in_the_error_shape()
    {
        using var client = service.Client();
        var requests = new (string Path, string Json)[]
        {
            (HostileCases.Chat, HostileCases.ChatBody().ToJsonString()),
            (HostileCases.Geolocate, $$$"""{"image":"{{{HostileCases.SmallJpegBase64}}}","g3":{"retrieved_candidates":3}}"""),
        };
        foreach (var (path, json) in requests)
        {
            using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == 503, $"{path}: expected 503, got {(int)response.StatusCode}: {body}");
            Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"{path}: Retry-After {response.Headers.RetryAfter}");
            HostileInputTests.AssertErrorShape(body, null, path);
            Assert.Equal("service_unavailable", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("type").GetString());
        }
    }
}
