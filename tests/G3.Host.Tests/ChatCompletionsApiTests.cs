using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace G3.Host.Tests;

public class ChatCompletionsApiTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private static string DataUrl(string file) => "data:image/webp;base64," + Convert.ToBase64String(File.ReadAllBytes(TestPaths.Fixture("images", file)));

    private static object UserImage(string file, string text = "Where was this photo taken?") => new
    {
        role = "user",
        content = new object[] { new { type = "text", text }, new { type = "image_url", image_url = new { url = DataUrl(file), detail = "low" } } },
    };

    private static async Task<JsonElement> Json(HttpResponseMessage r) => (await r.Content.ReadFromJsonAsync<JsonElement>())!;

    [Fact]
    public async Task Answers_in_the_chat_completion_shape_with_the_result_attached()
    {
        using var client = await service.ReadyClientAsync();
        using var response = await client.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative), new { model = "g3", messages = new[] { UserImage("lossy.webp") } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json(response);
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        var message = body.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Contains("most likely taken", message.GetProperty("content").GetString(), StringComparison.Ordinal);
        var g3 = body.GetProperty("g3");
        Assert.Contains(g3.GetProperty("latitude").GetDouble().ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), message.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal("lossy.webp", g3.GetProperty("references").GetProperty("similar")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_text_follow_up_is_answered_from_the_latest_image_of_the_conversation()
    {
        using var client = await service.ReadyClientAsync();
        var first = new object[] { UserImage("landscape.jpg") };
        using var r1 = await client.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative), new { model = "g3", messages = first });
        var answer = (await Json(r1)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();

        var conversation = new object[] { UserImage("landscape.jpg"), new { role = "assistant", content = answer }, new { role = "user", content = "Why do you think so?" } };
        using var r2 = await client.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative), new { model = "g3", messages = conversation });
        Assert.Equal(HttpStatusCode.OK, r2.StatusCode);
        var why = (await Json(r2)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
        Assert.Contains("similar photos", why, StringComparison.Ordinal);
        Assert.DoesNotContain("most likely taken", why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_follow_the_OpenAI_shape_and_statuses()
    {
        using var client = await service.ReadyClientAsync();
        using var noImage = await client.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative), new { model = "g3", messages = new[] { new { role = "user", content = "hello" } } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noImage.StatusCode);
        Assert.Equal("no_image", (await Json(noImage)).GetProperty("error").GetProperty("code").GetString());

        using var unknown = await client.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative), new { model = "gpt-7", messages = new[] { UserImage("landscape.jpg") } });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        using var broken = await client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), new StringContent("{\"model\":", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);

        using var notImage = await client.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative), new
        {
            model = "g3",
            messages = new[] { new { role = "user", content = new object[] { new { type = "image_url", image_url = new { url = "data:image/png;base64," + Convert.ToBase64String("not a png"u8.ToArray()) } } } } },
        });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notImage.StatusCode);
        Assert.True((await Json(notImage)).GetProperty("error").TryGetProperty("message", out _));
    }

    [Fact]
    public async Task Streaming_sends_progress_then_the_answer_then_DONE()
    {
        using var client = await service.ReadyClientAsync();
        using var response = await client.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative), new { model = "g3", stream = true, messages = new[] { UserImage("rgba.png") } });
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToList();
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Contains(chunks, c => c.TryGetProperty("g3", out var g) && g.TryGetProperty("event", out var ev) && ev.GetString() == "references");
        var text = string.Concat(chunks.Select(c => c.GetProperty("choices")[0].GetProperty("delta")).Where(d => d.TryGetProperty("content", out _)).Select(d => d.GetProperty("content").GetString()));
        Assert.Contains("most likely taken", text, StringComparison.Ordinal);
        Assert.Equal("stop", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task A_streamed_failure_carries_the_status_and_code_of_the_non_streaming_answer()
    {
        // Alignment off and no LMM: no candidate at all, which the non-streaming answer reports as 422 no_candidate.
        using var client = await service.ReadyClientAsync();
        object Body(bool stream) => new { model = "g3", stream, messages = new[] { UserImage("rgba.png") }, g3 = new { alignment_off = true } };
        using var plain = await client.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative), Body(false));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, plain.StatusCode);
        var expected = (await Json(plain)).GetProperty("error");
        Assert.Equal("no_candidate", expected.GetProperty("code").GetString());

        using var streamed = await client.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative), Body(true));
        var events = (await streamed.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToList();
        Assert.Equal("[DONE]", events[^1]);
        var error = JsonDocument.Parse(events[^2]).RootElement.GetProperty("error");
        Assert.Equal(422, error.GetProperty("status").GetInt32());
        foreach (var field in new[] { "code", "type", "message" })
            Assert.Equal(expected.GetProperty(field).GetString(), error.GetProperty(field).GetString());
    }

    [Fact]
    public async Task The_official_OpenAI_SDK_works_as_a_client_streaming_and_not()
    {
        using var http = await service.ReadyClientAsync();
        var chat = new ChatClient("g3", new ApiKeyCredential("unused"), new OpenAIClientOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "v1"),
            Transport = new System.ClientModel.Primitives.HttpClientPipelineTransport(http),
        });
        var image = ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(File.ReadAllBytes(TestPaths.Fixture("images", "landscape.jpg"))), "image/jpeg");
        List<ChatMessage> messages = [new UserChatMessage(ChatMessageContentPart.CreateTextPart("Where is this?"), image)];

        ChatCompletion completion = await chat.CompleteChatAsync(messages);
        Assert.Contains("most likely taken", completion.Content[0].Text, StringComparison.Ordinal);

        var streamed = new StringBuilder();
        await foreach (var update in chat.CompleteChatStreamingAsync(messages))
            foreach (var part in update.ContentUpdate) streamed.Append(part.Text);
        Assert.Contains("most likely taken", streamed.ToString(), StringComparison.Ordinal);
    }
}
