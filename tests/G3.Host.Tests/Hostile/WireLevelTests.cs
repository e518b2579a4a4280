using System.Text;

namespace G3.Host.Tests.Hostile;

/// <summary>
/// Requests only a raw socket can send: path spellings kept verbatim, bodies larger than the limit
/// (announced or chunked), bodies trickling in at 1 byte/s. Kestrel's refusals must come back in
/// OpenAI's error shape, and no spelling of a /v1 path may reach an endpoint without the key.
/// </summary>
public class WireLevelTests(KestrelServiceFixture service) : WireLevelSuite(service), IClassFixture<KestrelServiceFixture>;

/// <summary>The wire-level suite on a service whose LMM cache server is down (<see cref="CacheServerDownFixture"/>).</summary>
public class WireLevelWhileTheCacheServerIsDownTests(CacheServerDownFixture service) : WireLevelSuite(service), IClassFixture<CacheServerDownFixture>;

/// <summary>The wire-level suite's requests and checks, against the service its fixture starts.</summary>
public abstract class WireLevelSuite(KestrelServiceFixture service)
{
    public static TheoryData<string, string> Spellings() => new()
    {
        { "GET", "/v1/models" }, { "GET", "/V1/models" }, { "GET", "/v1/MODELS" }, { "GET", "/V1/MODELS" },
        { "GET", "/%56%31/models" }, { "GET", "/%76%31/models" }, { "GET", "/%76%31/%6d%6f%64%65%6c%73" },
        { "GET", "/x/../V1/models" }, { "GET", "/x/../v1/models" }, { "GET", "/x/%2e%2e/v1/models" }, { "GET", "/./v1/models" },
        { "GET", "/v1/./models" }, { "GET", "/v1/x/../models" }, { "GET", "/v1/models/" }, { "GET", "/V1/models/" },
        { "GET", "//v1/models" }, { "GET", "/v1//models" }, { "GET", "/v1/models?x=1" }, { "GET", "/v1/models/." },
        { "GET", "/v1%2Fmodels" }, { "GET", "/v1/models%2F" }, { "GET", "/v1/models;x" }, { "HEAD", "/V1/models" },
        { "GET", "http://127.0.0.1/V1/models" },
        { "POST", "/V1/chat/completions" }, { "POST", "/v1/Chat/Completions" }, { "POST", "/%56%31/chat/completions" },
        { "POST", "/x/../V1/chat/completions" }, { "POST", "/v1/chat/completions/" }, { "POST", "/V1/GEOLOCATE" },
        { "POST", "/%76%31/geolocate" }, { "POST", "/v1/geolocate/" },
    };

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task No_spelling_of_a_v1_path_reaches_an_endpoint_without_the_key(string method, string path)
    {
        var body = method == "POST" ? HostileCases.ChatBody().ToJsonString() : "";
        var head = $"{method} {path} HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n" +
                   (method == "POST" ? $"Content-Type: application/json\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\n" : "");
        var response = await RawHttp.SendAsync(service.Port, head, method == "POST" ? [Encoding.UTF8.GetBytes(body)] : null);
        // Either the path routes to a /v1 endpoint and the key is demanded, or it routes nowhere (404, 405 for HEAD).
        Assert.True(response.Status is 401 or 404 or 405 or 400, $"{method} {path}: {response.Status} {response.Body}");
        if (response.Status == 401 && method != "HEAD")
            Assert.Equal("missing_api_key", response.Json().GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("Bearer wrong-key")]
    [InlineData("Bearer hostile-suite-key-but-longer")]
    [InlineData("Bearer HOSTILE-SUITE-KEY")]
    [InlineData("Basic aG9zdGlsZS1zdWl0ZS1rZXk6")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("hostile-suite-key")]
    [InlineData("Token hostile-suite-key")]
    public async Task Wrong_keys_get_401_in_the_error_shape(string authorization)
    {
        var head = $"GET /V1/models HTTP/1.1\nHost: 127.0.0.1\nConnection: close\nAuthorization: {authorization}\n";
        var response = await RawHttp.SendAsync(service.Port, head);
        Assert.Equal(401, response.Status);
        HostileInputTests.AssertErrorShape(response.Body, null, authorization);
    }

    [Theory]
    [InlineData(HostileCases.Chat, "application/json")]
    [InlineData(HostileCases.Geolocate, "application/json")]
    [InlineData(HostileCases.Geolocate, "multipart/form-data; boundary=XyZ")]
    public async Task A_60_MB_body_announced_by_Content_Length_gets_413(string path, string contentType)
    {
        var head = $"POST {path} HTTP/1.1\nHost: 127.0.0.1\nConnection: close\nAuthorization: Bearer {KestrelServiceFixture.Key}\nContent-Type: {contentType}\nContent-Length: {60_000_000}\n";
        var response = await RawHttp.SendAsync(service.Port, head, Enumerable.Repeat(new byte[64 * 1024], 16));
        Assert.Equal(413, response.Status);
        HostileInputTests.AssertErrorShape(response.Body, "body", path);
    }

    [Theory]
    [InlineData(HostileCases.Chat, "application/json")]
    [InlineData(HostileCases.Geolocate, "application/json")]
    [InlineData(HostileCases.Geolocate, "multipart/form-data; boundary=XyZ")]
    public async Task A_60_MB_chunked_body_gets_413(string path, string contentType)
    {
        var head = $"POST {path} HTTP/1.1\nHost: 127.0.0.1\nConnection: close\nAuthorization: Bearer {KestrelServiceFixture.Key}\nContent-Type: {contentType}\nTransfer-Encoding: chunked\n";
        var piece = new byte[1024 * 1024];
        Array.Fill(piece, (byte)' ');
        var prefix = Encoding.ASCII.GetBytes(contentType.StartsWith("multipart", StringComparison.Ordinal)
            ? "--XyZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n\r\n" : "{\"model\":\"g3\",\"pad\":\"");
        var chunks = new List<byte[]> { Chunk(prefix) };
        chunks.AddRange(Enumerable.Repeat(Chunk(piece), 60));
        var response = await RawHttp.SendAsync(service.Port, head, chunks);
        Assert.Equal(413, response.Status);
        HostileInputTests.AssertErrorShape(response.Body, "body", path);
    }

    [Theory]
    [InlineData(HostileCases.Chat, "application/json")]
    [InlineData(HostileCases.Geolocate, "application/json")]
    [InlineData(HostileCases.Geolocate, "multipart/form-data; boundary=XyZ")]
    public async Task A_body_sent_at_1_byte_per_second_gets_408(string path, string contentType)
    {
        // The fixture allows 100 bytes/s after a 1.5 s grace period; this body would take 10 minutes.
        var head = $"POST {path} HTTP/1.1\nHost: 127.0.0.1\nConnection: close\nAuthorization: Bearer {KestrelServiceFixture.Key}\nContent-Type: {contentType}\nContent-Length: 600\n";
        var bytes = Enumerable.Range(0, 600).Select(_ => new[] { (byte)' ' });
        var response = await RawHttp.SendAsync(service.Port, head, bytes, pause: TimeSpan.FromSeconds(1), timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(408, response.Status);
        HostileInputTests.AssertErrorShape(response.Body, "body", path);
    }

    private static byte[] Chunk(byte[] data) =>
        [.. Encoding.ASCII.GetBytes(data.Length.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\r\n"), .. data, .. "\r\n"u8];
}
