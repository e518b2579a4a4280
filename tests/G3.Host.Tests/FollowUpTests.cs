using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace G3.Host.Tests;

public class FollowUpTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private static async Task<WebApplication> StubAsync(int status)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", async (HttpContext ctx) =>
        {
            using var body = await JsonDocument.ParseAsync(ctx.Request.Body);
            var system = body.RootElement.GetProperty("messages")[0].GetProperty("content").ToString();
            var text = system.Contains("G3", StringComparison.Ordinal) ? "From the G3 result: the country is in the answer above." : "{\"latitude\": 48.85, \"longitude\": 2.35}";
            return status == 200
                ? Results.Json(new { id = "x", @object = "chat.completion", created = 1, model = "stub", choices = new[] { new { index = 0, message = new { role = "assistant", content = text }, finish_reason = "stop" } } })
                : Results.Json(new { error = new { message = "down", type = "server_error" } }, statusCode: status);
        });
        await app.StartAsync();
        return app;
    }

    private static object UserImage() => new
    {
        role = "user",
        content = new object[] { new { type = "image_url", image_url = new { url = "data:image/jpeg;base64," + Convert.ToBase64String(File.ReadAllBytes(TestPaths.Fixture("images", "landscape.jpg"))) } } },
    };

    private async Task<string> AskFollowUpAsync(int stubStatus)
    {
        await using var stub = await StubAsync(stubStatus);
        using var app = service.WithWebHostBuilder(b =>
        {
            b.UseSetting("Lmm:Default", "stub");
            b.UseSetting("Lmm:Providers:stub:Kind", "openai");
            b.UseSetting("Lmm:Providers:stub:Model", "stub");
            b.UseSetting("Lmm:Providers:stub:ApiKey", "k");
            b.UseSetting("Lmm:Providers:stub:Endpoint", stub.Urls.First() + "/v1");
            b.UseSetting("Lmm:Providers:stub:Resilience:Retry:MaxRetries", "0");
            b.UseSetting("Pipeline:ReferenceCounts:0", "0");
            b.UseSetting("Pipeline:SamplesPerPrompt", "1");
        });
        using var client = app.CreateClient();
        var ready = "";
        for (var i = 0; i < 600; i++)
        {
            using var r = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
            ready = await r.Content.ReadAsStringAsync();
            if (r.IsSuccessStatusCode || ready.Contains("failed", StringComparison.Ordinal)) break;
            await Task.Delay(100);
        }
        Assert.True(ready.Contains("\"ready\":true", StringComparison.Ordinal), ready);
        var messages = new object[] { UserImage(), new { role = "assistant", content = "Paris." }, new { role = "user", content = "Which country?" } };
        using var response = await client.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative), new { model = "g3", messages });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }

    [Fact]
    public async Task With_an_LMM_configured_the_follow_up_is_answered_by_it_with_the_result_as_context() =>
        Assert.Equal("From the G3 result: the country is in the answer above.", await AskFollowUpAsync(200));

    [Fact]
    public async Task When_the_LMM_fails_the_follow_up_is_answered_from_the_result()
    {
        var answer = await AskFollowUpAsync(400);
        Assert.DoesNotContain("From the G3 result", answer, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(answer));
    }
}
