using System.Text;
using System.Text.Json.Nodes;

namespace G3.Host.Tests.Hostile;

/// <summary>One hostile request and the answer it must get: a 4xx naming the field (when <see cref="Param"/> is set).</summary>
public sealed record HostileCase(string Name, string Path, string? ContentType, byte[] Body, int Status, string? Param);

/// <summary>
/// The hostile-input suite's requests, by class: wrong JSON types in every field the chat and native
/// APIs read, invalid JSON and UTF-8, duplicate keys, out-of-range OpenAI parameters, unknown option
/// keys, wrong content types, malformed multipart and images, refused image URLs.
/// </summary>
public static class HostileCases
{
    public const string Chat = "/v1/chat/completions";
    public const string Geolocate = "/v1/geolocate";
    private const string Json = "application/json";

    public static string SmallJpegBase64 => Convert.ToBase64String(File.ReadAllBytes(TestPaths.Fixture("images", "gray.jpg")));

    /// <summary>A valid chat body: each case breaks one thing in it.</summary>
    public static JsonObject ChatBody() => new()
    {
        ["model"] = "g3",
        ["messages"] = new JsonArray(new JsonObject
        {
            ["role"] = "user",
            ["content"] = new JsonArray(
                new JsonObject { ["type"] = "text", ["text"] = "Where was this taken?" },
                new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = "data:image/jpeg;base64," + SmallJpegBase64 } }),
        }),
    };

    private static JsonNode? N(string json) => JsonNode.Parse(json);

    private static HostileCase ChatCase(string name, Action<JsonObject> breakIt, string? param, int status = 400)
    {
        var body = ChatBody();
        breakIt(body);
        return new(name, Chat, Json, Encoding.UTF8.GetBytes(body.ToJsonString()), status, param);
    }

    private static JsonObject Message(JsonObject body) => body["messages"]![0]!.AsObject();

    private static JsonArray Parts(JsonObject body) => Message(body)["content"]!.AsArray();

    private static JsonObject ImagePart(JsonObject body) => Parts(body)[1]!.AsObject();

    private static HostileCase Raw(string name, string path, string? contentType, string body, int status, string? param) =>
        new(name, path, contentType, Encoding.UTF8.GetBytes(body), status, param);

    private static HostileCase Bytes(string name, string path, string body, int status, string? param) =>
        new(name, path, Json, Encoding.Latin1.GetBytes(body), status, param);

    private static HostileCase GeolocateJson(string name, string json, string? param, int status = 400) => Raw(name, Geolocate, Json, json, status, param);

    public static IEnumerable<HostileCase> All()
    {
        // Top-level fields of the chat body, each with every wrong JSON type.
        foreach (var (kind, value) in WrongTypes(exceptString: true))
            yield return ChatCase($"chat model is {kind}", b => b["model"] = value?.DeepClone(), "model");
        foreach (var (kind, value) in WrongTypes(exceptArray: true).Where(t => t.Kind != "null"))
            yield return ChatCase($"chat messages is {kind}", b => b["messages"] = value?.DeepClone(), "messages");
        yield return ChatCase("chat messages is empty", b => b["messages"] = new JsonArray(), "messages");
        yield return ChatCase("chat messages missing", b => b.Remove("messages"), "messages");
        yield return ChatCase("chat model missing", b => b.Remove("model"), "model");
        yield return ChatCase("chat model blank", b => b["model"] = " ", "model");
        yield return ChatCase("chat model unknown", b => b["model"] = "gpt-7", "model", 404);
        yield return ChatCase("chat model g3- with unknown provider", b => b["model"] = "g3-nobody", "model", 404);

        // OpenAI's parameters: wrong types and out-of-range values are refused, naming the parameter.
        foreach (var (name, value) in new (string, string)[] { ("-1", "-1"), ("0", "0"), ("1000", "1000"), ("2", "2"), ("\"1\"", "\"1\""), ("1.5", "1.5"), ("true", "true"), ("[]", "[]"), ("{}", "{}"), ("1e400", "1e400") })
            yield return ChatCase($"chat n {name}", b => b["n"] = N(value), "n");
        foreach (var (name, value) in new (string, string)[] { ("\"hot\"", "\"hot\""), ("-1", "-1"), ("2.5", "2.5"), ("[]", "[]"), ("{}", "{}"), ("true", "true"), ("\"0.5\"", "\"0.5\"") })
            yield return ChatCase($"chat temperature {name}", b => b["temperature"] = N(value), "temperature");
        foreach (var (name, value) in new (string, string)[] { ("\"yes\"", "\"yes\""), ("\"true\"", "\"true\""), ("1", "1"), ("0", "0"), ("[]", "[]"), ("{}", "{}") })
            yield return ChatCase($"chat stream {name}", b => b["stream"] = N(value), "stream");

        // Messages and content parts.
        foreach (var (kind, value) in WrongTypes(exceptObject: true))
            yield return ChatCase($"chat messages[0] is {kind}", b => b["messages"]![0] = value?.DeepClone(), "messages[0]");
        foreach (var (kind, value) in WrongTypes(exceptString: true).Where(t => t.Kind != "null"))
            yield return ChatCase($"chat role is {kind}", b => Message(b)["role"] = value?.DeepClone(), "messages[0].role");
        yield return ChatCase("chat role missing", b => Message(b).Remove("role"), "messages[0].role");
        foreach (var (kind, value) in new (string, JsonNode?)[] { ("a number", 5), ("an object", new JsonObject()), ("a boolean", false) })
            yield return ChatCase($"chat content is {kind}", b => Message(b)["content"] = value, "messages[0].content");
        foreach (var (kind, value) in WrongTypes(exceptObject: true))
            yield return ChatCase($"chat content part is {kind}", b => Parts(b)[0] = value?.DeepClone(), "messages[0].content[0]");
        foreach (var (kind, value) in WrongTypes(exceptString: true))
            yield return ChatCase($"chat part type is {kind}", b => Parts(b)[0]!["type"] = value?.DeepClone(), "messages[0].content[0].type");
        yield return ChatCase("chat part type missing", b => Parts(b)[0]!.AsObject().Remove("type"), "messages[0].content[0].type");
        foreach (var (kind, value) in WrongTypes(exceptString: true))
            yield return ChatCase($"chat part text is {kind}", b => Parts(b)[0]!["text"] = value?.DeepClone(), "messages[0].content[0].text");
        foreach (var (kind, value) in new (string, JsonNode?)[] { ("a number", 1), ("an array", new JsonArray()), ("a boolean", true), ("null", null) })
            yield return ChatCase($"chat image_url is {kind}", b => ImagePart(b)["image_url"] = value, "messages[0].content[1].image_url");
        foreach (var (kind, value) in WrongTypes(exceptString: true))
            yield return ChatCase($"chat image_url.url is {kind}", b => ImagePart(b)["image_url"]!["url"] = value?.DeepClone(), "messages[0].content[1].image_url.url");
        yield return ChatCase("chat image_url.url not base64", b => ImagePart(b)["image_url"]!["url"] = "data:image/jpeg;base64,@@@@", "messages[0].content");
        yield return ChatCase("chat image_url.url data URL not base64-encoded", b => ImagePart(b)["image_url"]!["url"] = "data:image/jpeg,abc", "messages[0].content");
        yield return ChatCase("chat image_url.url empty base64", b => ImagePart(b)["image_url"]!["url"] = "data:image/jpeg;base64,", "messages[0].content");
        yield return ChatCase("chat image is text", b => ImagePart(b)["image_url"]!["url"] = "data:image/png;base64," + Convert.ToBase64String("plain text"u8.ToArray()), "image", 415);
        yield return ChatCase("chat image is a decompression bomb header", b => ImagePart(b)["image_url"]!["url"] = "data:image/png;base64," + Convert.ToBase64String(File.ReadAllBytes(TestPaths.Fixture("images", "huge_header.png"))), "image", 413);
        yield return ChatCase("chat image is truncated", b => ImagePart(b)["image_url"]!["url"] = "data:image/jpeg;base64," + Convert.ToBase64String(File.ReadAllBytes(TestPaths.Fixture("images", "truncated.jpg"))), "image");
        foreach (var url in RefusedUrls)
            yield return ChatCase($"chat image URL {url}", b => ImagePart(b)["image_url"]!["url"] = url, "image_url");
        yield return ChatCase("chat without any image", b => b["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hello" }), "messages", 422);

        // The g3 options object: wrong types, unknown keys (typos), invalid values.
        foreach (var (kind, value) in WrongTypes(exceptObject: true).Where(t => t.Kind != "null"))
            yield return ChatCase($"chat g3 is {kind}", b => b["g3"] = value?.DeepClone(), "g3");
        foreach (var (json, param) in G3Breakages)
            yield return ChatCase($"chat g3 {json}", b => b["g3"] = N(json), param);

        // Invalid JSON, invalid UTF-8, duplicate keys.
        foreach (var (name, body) in BrokenJson)
            yield return Bytes($"chat body {name}", Chat, body, 400, "body");
        foreach (var (name, body) in BrokenJson)
            yield return Bytes($"geolocate body {name}", Geolocate, body, 400, "body");
        // Invalid UTF-8 inside a string is found when the field is read, and the answer names that field.
        yield return Bytes("chat body invalid UTF-8 in model", Chat, "{\"model\":\"\xff\"}", 400, "model");
        yield return Bytes("geolocate body invalid UTF-8 in image", Geolocate, "{\"image\":\"\xff\"}", 400, "image");
        var image = "data:image/jpeg;base64," + SmallJpegBase64;
        yield return Bytes("chat duplicate model", Chat, $$$"""{"model":"g3","model":"g3-none","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"{{{image}}}"}}]}]}""", 400, "body");
        yield return Bytes("chat duplicate role", Chat, $$$"""{"model":"g3","messages":[{"role":"user","role":"system","content":[{"type":"image_url","image_url":{"url":"{{{image}}}"}}]}]}""", 400, "body");
        yield return Bytes("chat duplicate url", Chat, $$$"""{"model":"g3","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"{{{image}}}","url":"http://127.0.0.1/"}}]}]}""", 400, "body");
        yield return Bytes("chat duplicate g3 key", Chat, $$$"""{"model":"g3","g3":{"retrieved_candidates":3,"retrieved_candidates":4},"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"{{{image}}}"}}]}]}""", 400, "body");
        yield return Bytes("chat invalid UTF-8 in model", Chat, "{\"model\":\"g3\xff\",\"messages\":[]}", 400, "model");
        yield return Bytes("chat invalid UTF-8 in text", Chat, $$$"""{"model":"g3","messages":[{"role":"user","content":[{"type":"text","text":"caf{{{"\xc3\x28"}}}"},{"type":"image_url","image_url":{"url":"{{{image}}}"}}]}]}""", 400, "messages[0].content[0].text");
        yield return Bytes("chat overlong UTF-8 in role", Chat, $$$"""{"model":"g3","messages":[{"role":"us{{{"\xc0\xaf"}}}er","content":"x"}]}""", 400, "messages[0].role");
        yield return Bytes("chat invalid UTF-8 in a key", Chat, "{\"mo\xff" + "del\":\"g3\",\"messages\":[]}", 400, "model");
        yield return Bytes("chat lone surrogate escape in text", Chat, $$$"""{"model":"g3","messages":[{"role":"user","content":[{"type":"text","text":"\ud800"},{"type":"image_url","image_url":{"url":"{{{image}}}"}}]}]}""", 400, "messages[0].content[0].text");
        yield return Bytes("geolocate invalid UTF-8 in provider", Geolocate, $$$"""{"image":"{{{SmallJpegBase64}}}","provider":"n{{{"\xfe"}}}"}""", 400, "provider");
        yield return Bytes("geolocate duplicate image", Geolocate, $$$"""{"image":"{{{SmallJpegBase64}}}","image":"x"}""", 400, "body");

        // Content types: the chat endpoint takes JSON only; the native one JSON or multipart.
        var chatJson = ChatBody().ToJsonString();
        foreach (var type in new[] { "text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "application/octet-stream", null })
            yield return Raw($"chat as {type ?? "no content type"}", Chat, type, chatJson, 415, "Content-Type");
        foreach (var type in new[] { "text/plain", "application/x-www-form-urlencoded", "application/xml", "image/jpeg", null })
            yield return Raw($"geolocate as {type ?? "no content type"}", Geolocate, type, $$$"""{"image":"{{{SmallJpegBase64}}}"}""", 415, "Content-Type");

        // The native API's JSON body.
        foreach (var (kind, value) in WrongTypes(exceptString: true).Where(t => t.Kind != "null"))
            yield return GeolocateJson($"geolocate image is {kind}", $$$"""{"image":{{{value!.ToJsonString()}}}}""", "image");
        foreach (var (kind, value) in WrongTypes(exceptString: true).Where(t => t.Kind != "null"))
            yield return GeolocateJson($"geolocate provider is {kind}", $$$"""{"image":"{{{SmallJpegBase64}}}","provider":{{{value!.ToJsonString()}}}}""", "provider");
        yield return GeolocateJson("geolocate image missing", "{}", "image");
        yield return GeolocateJson("geolocate unknown field", $$$"""{"imgae":"{{{SmallJpegBase64}}}"}""", "imgae");
        yield return GeolocateJson("geolocate image not base64", """{"image":"@@not base64@@"}""", "image");
        yield return GeolocateJson("geolocate unknown provider", $$$"""{"image":"{{{SmallJpegBase64}}}","provider":"nobody"}""", "provider");
        foreach (var (json, param) in G3Breakages)
            yield return GeolocateJson($"geolocate g3 {json}", $$$"""{"image":"{{{SmallJpegBase64}}}","g3":{{{json}}}}""", param);
        foreach (var url in RefusedUrls)
            yield return GeolocateJson($"geolocate image URL {url}", $$$"""{"image":"{{{url}}}"}""", "image_url");

        // Multipart bodies: cut short, never closed, missing the file, bad options.
        foreach (var (name, contentType, body, param) in BrokenMultipart())
            yield return new($"geolocate multipart {name}", Geolocate, contentType, Encoding.Latin1.GetBytes(body), name.Contains("is text", StringComparison.Ordinal) ? 415 : 400, param);
    }

    /// <summary>Every JSON kind but the expected one.</summary>
    private static IEnumerable<(string Kind, JsonNode? Value)> WrongTypes(bool exceptString = false, bool exceptArray = false, bool exceptObject = false)
    {
        if (!exceptString) yield return ("a string", "text");
        yield return ("a number", 42);
        yield return ("a negative float", -1.5);
        yield return ("a boolean", true);
        if (!exceptArray) yield return ("an array", new JsonArray(1, 2));
        if (!exceptObject) yield return ("an object", new JsonObject { ["a"] = 1 });
        yield return ("null", null);
    }

    /// <summary>URLs the fetcher refuses before connecting anywhere (SSRF): every one answers 400 on image_url.</summary>
    public static readonly string[] RefusedUrls =
    [
        "http://127.0.0.1/x.jpg", "http://[::1]/x.jpg", "http://169.254.169.254/latest/meta-data", "http://10.0.0.1/x.jpg",
        "http://[64:ff9b::7f00:1]/x.jpg", "http://[64:ff9b::a9fe:a9fe]/x.jpg", "http://[2002:7f00:1::]/x.jpg", "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/x.jpg",
        "http://[::7f00:1]/x.jpg", "http://[::ffff:127.0.0.1]/x.jpg", "http://user:pass@example.com/x.jpg",
        "http://0.0.0.0/x.jpg", "http://[fd00::1]/x.jpg",
    ];

    /// <summary>Broken "g3" options and the field each answer must name.</summary>
    private static readonly (string Json, string Param)[] G3Breakages =
    [
        ("""{"retrievedCandidates":3}""", "g3.retrievedCandidates"),
        ("""{"samplesPerPrompt":2}""", "g3.samplesPerPrompt"),
        ("""{"retrieved_candidate":3}""", "g3.retrieved_candidate"),
        ("""{"foo":1}""", "g3.foo"),
        ("""{"samples_per_prompt":"ten"}""", "g3.samples_per_prompt"),
        ("""{"temperature":"hot"}""", "g3.temperature"),
        ("""{"reference_counts":"0,5"}""", "g3.reference_counts"),
        ("""{"reference_counts":["a"]}""", "g3.reference_counts[0]"),
        ("""{"alignment_off":"yes"}""", "g3.alignment_off"),
        ("""{"reference_place_text":"planet"}""", "g3.reference_place_text"),
        ("""{"reference_place_text":{}}""", "g3.reference_place_text"),
        ("""{"retrieved_candidates":-5}""", "g3"),
        ("""{"samples_per_prompt":100000}""", "g3"),
        ("""{"retrieved_candidates":1e30}""", "g3.retrieved_candidates"),
    ];

    /// <summary>Bodies that are not JSON, not one object, or not UTF-8 where the reader checks it.</summary>
    private static readonly (string Name, string Body)[] BrokenJson =
    [
        ("empty", ""), ("truncated", "{\"model\":"), ("trailing garbage", "{} x"), ("single quotes", "{'model':'g3'}"),
        ("a comment", "{/* c */}"), ("NaN", "{\"n\":NaN}"), ("an array", "[]"), ("a number", "1"), ("a string", "\"g3\""), ("null", "null"),
        ("nested 1000 deep", new string('[', 1000) + new string(']', 1000)), ("trailing comma", "{\"model\":\"g3\",}"),
        ("a BOM then garbage", "\xef\xbb\xbf{x}"), ("unterminated string", "{\"model\":\"g3"),
    ];

    private static IEnumerable<(string Name, string ContentType, string Body, string? Param)> BrokenMultipart()
    {
        const string b = "XyZ";
        const string type = "multipart/form-data; boundary=" + b;
        var jpeg = Encoding.Latin1.GetString(File.ReadAllBytes(TestPaths.Fixture("images", "gray.jpg")));
        string File_(string content) => $"--{b}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n{content}\r\n";
        string Field(string name, string value) => $"--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n";
        yield return ("without a closing boundary", type, File_(jpeg), "body");
        yield return ("cut inside the headers", type, $"--{b}\r\nContent-Disposition: form-da", "body");
        yield return ("with only the opening boundary", type, $"--{b}\r\n", "body");
        yield return ("with a section without headers end", type, $"--{b}\r\nContent-Disposition: form-data; name=\"image\"\r\n", "body");
        yield return ("without the image field", type, Field("provider", "none") + $"--{b}--\r\n", "image");
        yield return ("with an empty image", type, File_("") + $"--{b}--\r\n", "image");
        yield return ("with g3 not JSON", type, File_(jpeg) + Field("g3", "{nope") + $"--{b}--\r\n", "g3");
        yield return ("with g3 an array", type, File_(jpeg) + Field("g3", "[1]") + $"--{b}--\r\n", "g3");
        yield return ("with a g3 typo", type, File_(jpeg) + Field("g3", "{\"retrievedCandidates\":2}") + $"--{b}--\r\n", "g3.retrievedCandidates");
        yield return ("with duplicate g3 keys", type, File_(jpeg) + Field("g3", "{\"alignment_off\":true,\"alignment_off\":false}") + $"--{b}--\r\n", "g3");
        yield return ("with an image that is text", type, File_("hello") + $"--{b}--\r\n", "image");
        yield return ("with a boundary the body never uses", "multipart/form-data; boundary=other", File_(jpeg) + $"--{b}--\r\n", null);
        yield return ("without a boundary parameter", "multipart/form-data", File_(jpeg) + $"--{b}--\r\n", null);
    }
}
