using System.Net.Http.Headers;
using System.Text.Json;

namespace G3.Host.Tests.Hostile;

/// <summary>
/// The hostile-input suite: every case of <see cref="HostileCases"/> against the real service on
/// Kestrel. Each must get its 4xx in OpenAI's error shape, naming the field, with no .NET type names
/// in the message, and never a 500.
/// </summary>
public class HostileInputTests(KestrelServiceFixture service) : HostileInputSuite(service), IClassFixture<KestrelServiceFixture>;

/// <summary>
/// The hostile-input suite on a service whose LMM cache lives on a Redis-protocol server that is down
/// (<see cref="CacheServerDownFixture"/>): the same answers, and the well-formed requests still succeed.
/// </summary>
public class HostileInputWhileTheCacheServerIsDownTests(CacheServerDownFixture service) : HostileInputSuite(service), IClassFixture<CacheServerDownFixture>
{
    [Fact]
    public async Task The_service_stays_ready_and_readyz_reports_the_cache_server_down()
    {
        await The_unbroken_base_requests_succeed_so_each_failure_is_the_breakage(); // the cache has been tried by now
        using var client = service.Client();
        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(200, (int)response.StatusCode);
        Assert.True(body.GetProperty("ready").GetBoolean());
        Assert.Equal("redis", body.GetProperty("cache").GetProperty("kind").GetString());
        Assert.False(body.GetProperty("cache").GetProperty("up").GetBoolean(), body.ToString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("cache").GetProperty("last_failure").GetString()));
    }
}

/// <summary>The hostile-input suite's cases and checks, against the service its fixture starts.</summary>
public abstract class HostileInputSuite(KestrelServiceFixture service)
{
    private static readonly Dictionary<string, HostileCase> Cases = HostileCases.All().ToDictionary(c => c.Name);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in Cases.Keys) data.Add(name);
        return data;
    }

    [Fact]
    public void The_suite_holds_at_least_150_distinct_cases() => Assert.True(Cases.Count >= 150, $"{Cases.Count} cases");

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Each_hostile_request_gets_its_4xx_in_the_OpenAI_error_shape(string name)
    {
        using var client = service.Client();
        await AnswersItsCaseAsync(client, name);
    }

    /// <summary>Sends the hostile case <paramref name="name"/> and checks its status and the OpenAI error shape.</summary>
    internal static async Task AnswersItsCaseAsync(HttpClient client, string name)
    {
        var c = Cases[name];
        using var content = new ByteArrayContent(c.Body);
        if (c.ContentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(c.ContentType);
        using var response = await client.PostAsync(new Uri(c.Path, UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == c.Status, $"{name}: expected {c.Status}, got {(int)response.StatusCode}: {body}");
        AssertErrorShape(body, c.Param, name);
    }

    [Fact]
    public async Task The_unbroken_base_requests_succeed_so_each_failure_is_the_breakage()
    {
        using var client = service.Client();
        using var chat = new StringContent(HostileCases.ChatBody().ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var r1 = await client.PostAsync(new Uri(HostileCases.Chat, UriKind.Relative), chat);
        Assert.Equal(200, (int)r1.StatusCode);
        using var native = new StringContent($$$"""{"image":"{{{HostileCases.SmallJpegBase64}}}","g3":{"retrieved_candidates":3}}""", System.Text.Encoding.UTF8, "application/json");
        using var r2 = await client.PostAsync(new Uri(HostileCases.Geolocate, UriKind.Relative), native);
        Assert.Equal(200, (int)r2.StatusCode);
        using var withParams = new StringContent(
            HostileCases.ChatBody().ToJsonString().Replace("\"model\":\"g3\"", "\"model\":\"g3\",\"n\":1,\"temperature\":0.7,\"stream\":false,\"max_tokens\":50", StringComparison.Ordinal),
            System.Text.Encoding.UTF8, "application/json");
        using var r3 = await client.PostAsync(new Uri(HostileCases.Chat, UriKind.Relative), withParams);
        Assert.Equal(200, (int)r3.StatusCode);
    }

    /// <summary>{"error": {"message", "type", "param", "code"}}, the field named, no .NET internals.</summary>
    internal static void AssertErrorShape(string body, string? param, string name)
    {
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()), name);
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()), name);
        if (param is not null)
            Assert.True(error.TryGetProperty("param", out var p) && p.GetString() == param, $"{name}: expected param '{param}' in {body}");
        foreach (var leak in new[] { "System.", "G3.Core", "G3.Host", "Nullable`", "Exception", " at " })
            Assert.DoesNotContain(leak, error.GetProperty("message").GetString()!, StringComparison.Ordinal);
    }
}
