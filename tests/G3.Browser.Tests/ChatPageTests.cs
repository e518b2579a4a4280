using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Playwright;

namespace G3.Browser.Tests;

/// <summary>
/// The chat page in Chromium against the real host: a synthetic query photo goes in through the page, the
/// streamed answer comes out, and what the page shows is checked against the API's own JSON for the same photo.
/// </summary>
public sealed class ChatPageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly (int Width, int Height) Desktop = (1360, 900), Phone = (390, 844);

    /// <summary>A page with a console and network watch: console errors, page errors, and any request leaving the host.</summary>
    private sealed class Watched(IPage page, List<string> errors, List<string> external)
    {
        public IPage Page => page;
        public List<string> Errors => errors;
        public List<string> External => external;
    }

    private async Task<Watched> OpenAsync(PageHost host, (int Width, int Height) size, float scale = 1)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = size.Width, Height = size.Height },
            DeviceScaleFactor = scale,
            IsMobile = size.Width < 600,
            HasTouch = size.Width < 600,
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        var external = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") lock (errors) errors.Add(m.Text); };
        page.PageError += (_, e) => { lock (errors) errors.Add("page error: " + e); };
        page.Request += (_, r) =>
        {
            var url = new Uri(r.Url);
            if (url.Scheme is "data" or "blob") return;
            if (url.Authority != host.BaseAddress.Authority) lock (external) external.Add(r.Url);
        };
        await page.GotoAsync(host.BaseAddress.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        // The world is drawn once its TopoJSON has loaded.
        await page.Locator("#map path.country").First.WaitForAsync();
        await Assertions.Expect(page.Locator("#service-status")).ToContainTextAsync("Ready");
        return new Watched(page, errors, external);
    }

    /// <summary>Waits for a locator; on a timeout, fails with what the page showed and logged, not just the timeout.</summary>
    private static async Task WaitAsync(Watched w, ILocator locator, float timeout = 120_000)
    {
        try
        {
            await locator.WaitForAsync(new LocatorWaitForOptions { Timeout = timeout });
        }
        catch (TimeoutException e)
        {
            var thread = await w.Page.Locator("#thread").InnerTextAsync();
            throw new TimeoutException($"{e.Message}\nconsole errors: {string.Join(" | ", w.Errors)}\nthread: {thread}", e);
        }
    }

    private static async Task UploadAsync(IPage page, string path, (double Lat, double Lon)? truth = null)
    {
        if (truth is { } t)
        {
            await page.Locator("details.truth summary").ClickAsync();
            await page.FillAsync("#truth-lat", t.Lat.ToString(CultureInfo.InvariantCulture));
            await page.FillAsync("#truth-lon", t.Lon.ToString(CultureInfo.InvariantCulture));
        }
        await page.SetInputFilesAsync("#composer-photo", path);
        await Assertions.Expect(page.Locator("#pending")).ToBeVisibleAsync();
        await page.ClickAsync("#composer-send");
    }

    private static object UserImage(string path) => new
    {
        role = "user",
        content = new object[]
        {
            new { type = "text", text = "Where was this photo taken?" },
            new { type = "image_url", image_url = new { url = "data:image/jpeg;base64," + Convert.ToBase64String(File.ReadAllBytes(path)) } },
        },
    };

    private static object UserImages(string question, IEnumerable<string> paths) => new
    {
        role = "user",
        content = new object[] { new { type = "text", text = question } }
            .Concat(paths.Select(p => (object)new { type = "image_url", image_url = new { url = "data:image/jpeg;base64," + Convert.ToBase64String(File.ReadAllBytes(p)) } }))
            .ToArray(),
    };

    private static int CountWithPoint(JsonElement list) =>
        list.EnumerateArray().Count(c => c.TryGetProperty("latitude", out _) && c.TryGetProperty("longitude", out _));

    private static double HaversineKm(double lat1, double lon1, double lat2, double lon2)
    {
        const double rad = Math.PI / 180;
        var h = Math.Pow(Math.Sin((lat2 - lat1) * rad / 2), 2) + Math.Cos(lat1 * rad) * Math.Cos(lat2 * rad) * Math.Pow(Math.Sin((lon2 - lon1) * rad / 2), 2);
        return 2 * 6371.0088 * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(BrowserFixture.ScreenshotDir);
        var path = Path.Combine(BrowserFixture.ScreenshotDir, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        Console.WriteLine($"screenshot: {path}");
        Assert.True(new FileInfo(path).Length > 10_000, $"{name} is suspiciously small");
    }

    [BrowserFact]
    public async Task The_page_and_its_map_data_are_served_by_the_host_with_cache_headers()
    {
        using var http = new HttpClient { BaseAddress = fixture.Plain.BaseAddress };
        using var index = await http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", index.Headers.CacheControl?.ToString());
        Assert.NotNull(index.Headers.ETag);
        Assert.Contains("default-src 'self'", index.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await index.Content.ReadAsStringAsync();

        // Every script, style and link of the page resolves on this host (nothing from elsewhere).
        var refs = System.Text.RegularExpressions.Regex.Matches(html, "(?:src|href)=\"([^\"#]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("/vendor/d3-geo@3.1.1/d3-geo.min.js", refs);
        foreach (var r in refs)
        {
            Assert.False(r.StartsWith("http", StringComparison.OrdinalIgnoreCase) || r.StartsWith("//", StringComparison.Ordinal), $"{r} leaves the host");
            using var asset = await http.GetAsync(new Uri(r.StartsWith('/') ? r : "/" + r, UriKind.Relative));
            Assert.True(asset.IsSuccessStatusCode, $"{r}: {(int)asset.StatusCode}");
            var cache = asset.Headers.CacheControl?.ToString();
            Assert.Equal(r.StartsWith("/vendor/", StringComparison.Ordinal) ? "public, max-age=31536000, immutable" : "no-cache", cache);
        }
        using var world = await http.GetAsync(new Uri("/vendor/world-atlas@2.0.2/countries-50m.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, world.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", world.Headers.CacheControl?.ToString());
    }

    [BrowserFact]
    public async Task A_photo_gets_a_streamed_answer_that_matches_the_API_and_a_follow_up()
    {
        var host = fixture.Plain;
        var (photo, lat, lon) = fixture.QueryPhoto(0);
        var w = await OpenAsync(host, Desktop);
        var page = w.Page;

        await UploadAsync(page, photo, (lat, lon));
        var answer = page.Locator(".msg.assistant .answer").Last;
        await WaitAsync(w, answer);

        var api = await host.AskAsync([UserImage(photo)]);
        var g3 = api.GetProperty("g3");
        Assert.Equal(g3.GetProperty("place").GetProperty("description").GetString(), await answer.Locator(".answer-place").InnerTextAsync());
        Assert.Contains(g3.GetProperty("latitude").GetDouble().ToString("0.0000", CultureInfo.InvariantCulture), await answer.Locator(".answer-coords").InnerTextAsync(), StringComparison.Ordinal);

        // One marker per candidate, per similar and per dissimilar photo of the API's answer, one pin, one true point.
        var map = page.Locator("#map");
        Assert.Equal(CountWithPoint(g3.GetProperty("candidates")), await map.Locator("[data-kind=candidate]").CountAsync());
        Assert.Equal(g3.GetProperty("references").GetProperty("similar").GetArrayLength(), await map.Locator("[data-kind=similar]").CountAsync());
        Assert.Equal(g3.GetProperty("references").GetProperty("dissimilar").GetArrayLength(), await map.Locator("[data-kind=dissimilar]").CountAsync());
        Assert.Equal(1, await map.Locator("[data-kind=best]").CountAsync());
        Assert.Equal(1, await map.Locator("[data-kind=truth]").CountAsync());
        Assert.True(await map.Locator("[data-kind=similar]").CountAsync() > 0);

        // The retrieval step's text comes from the streamed progress event, before the answer.
        var similar = g3.GetProperty("references").GetProperty("similar").GetArrayLength();
        var dissimilar = g3.GetProperty("references").GetProperty("dissimilar").GetArrayLength();
        Assert.StartsWith($"{similar} similar, {dissimilar} dissimilar", await page.Locator(".step[data-stage=retrieve] .step-detail").Last.TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(4, await page.Locator(".msg.assistant").Last.Locator(".step.done").CountAsync());

        // The error against the known place, as the page states it.
        var km = HaversineKm(lat, lon, g3.GetProperty("latitude").GetDouble(), g3.GetProperty("longitude").GetDouble());
        Assert.Contains($"{km.ToString("0.0", CultureInfo.InvariantCulture)} km", await answer.Locator(".truth-error").InnerTextAsync(), StringComparison.Ordinal);

        // A follow-up in the same thread: the same answer as the API gives for the same conversation.
        await page.FillAsync("#composer-text", "Which country else?");
        await page.Keyboard.PressAsync("Enter");
        var followUp = page.Locator(".msg.assistant.follow-up").Last;
        await WaitAsync(w, followUp, 60_000);
        var text = api.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
        var expected = (await host.AskAsync([UserImage(photo), new { role = "assistant", content = text }, new { role = "user", content = "Which country else?" }]))
            .GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
        Assert.Equal(expected, await followUp.InnerTextAsync());

        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await ScreenshotAsync(page, "chat-desktop-no-lmm.png");
        Assert.Empty(w.External);
        Assert.Empty(w.Errors);
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task With_a_language_model_the_candidates_show_by_prompt_with_provenance_and_rationale()
    {
        var host = fixture.WithLmm;
        var (photo, lat, lon) = fixture.QueryPhoto(1);
        var w = await OpenAsync(host, Desktop);
        var page = w.Page;

        await UploadAsync(page, photo, (lat, lon));
        var answer = page.Locator(".msg.assistant .answer").Last;
        await WaitAsync(w, answer);

        var g3 = (await host.AskAsync([UserImage(photo)])).GetProperty("g3");
        Assert.Equal(g3.GetProperty("place").GetProperty("description").GetString(), await answer.Locator(".answer-place").InnerTextAsync());
        var lmm = g3.GetProperty("candidates").EnumerateArray().Where(c => c.GetProperty("source").GetString() == "lmm").ToList();
        Assert.True(lmm.Count > 0, "the stub LMM's answers gave no candidates: " + g3);
        Assert.Equal(lmm.Count, await page.Locator("#map .marker.candidate.lmm").CountAsync());
        Assert.Equal(CountWithPoint(g3.GetProperty("candidates")), await page.Locator("#map [data-kind=candidate]").CountAsync());
        // The legend names every prompt variant that answered.
        var variants = lmm.Select(c => c.GetProperty("variant").GetInt32()).Distinct().Count();
        Assert.Equal(variants, await page.Locator("#legend .legend-lmm").CountAsync());

        // The model's rationale is shown, and its provenance.
        await Assertions.Expect(answer.Locator(".rationale p")).ToHaveTextAsync(StubLmm.Rationale);
        await Assertions.Expect(answer.Locator(".rationale footer")).ToContainTextAsync("sample n=");

        // Hovering the pin shows how it was chosen; focusing a candidate row (keyboard) shows its provenance on the map.
        await page.Locator("#map [data-kind=best]").HoverAsync(new LocatorHoverOptions { Force = true });
        await Assertions.Expect(page.Locator("#tooltip")).ToContainTextAsync("Answer");
        await answer.Locator("details.candidates summary").ClickAsync();
        // The keyboard path: the mouse leaves the page's content first, so no row or marker that scrolls under it claims the tooltip.
        await page.Mouse.MoveAsync(1, 1);
        await Assertions.Expect(page.Locator("#tooltip")).ToBeHiddenAsync();
        var firstLmmRow = answer.Locator("details.candidates tbody tr").Filter(new LocatorFilterOptions { HasText = "prompt K=" }).First;
        await firstLmmRow.FocusAsync();
        await Assertions.Expect(page.Locator("#tooltip")).ToContainTextAsync("prompt K=");
        await Assertions.Expect(page.Locator("#tooltip")).ToContainTextAsync("raw answer: " + StubLmm.Rationale[..30]);
        await Assertions.Expect(page.Locator("#map .marker.hot")).ToHaveCountAsync(1);
        await answer.Locator("details.candidates summary").ClickAsync();
        await page.Locator("#composer-text").FocusAsync();

        // A follow-up goes to the language model with the result as context.
        await page.FillAsync("#composer-text", "Why not Spain?");
        await page.ClickAsync("#composer-send");
        var followUp = page.Locator(".msg.assistant.follow-up").Last;
        await WaitAsync(w, followUp, 60_000);
        Assert.Equal(StubLmm.FollowUpAnswer, await followUp.InnerTextAsync());

        // A second photo in the same session: its own answer, and the map follows it.
        var (second, lat2, lon2) = fixture.QueryPhoto(2);
        await UploadAsync(page, second, (lat2, lon2));
        await Assertions.Expect(page.Locator(".msg.assistant .answer")).ToHaveCountAsync(2, new LocatorAssertionsToHaveCountOptions { Timeout = 120_000 });
        var g3b = (await host.AskAsync([UserImage(second)])).GetProperty("g3");
        Assert.Equal(CountWithPoint(g3b.GetProperty("candidates")), await page.Locator("#map [data-kind=candidate]").CountAsync());
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await ScreenshotAsync(page, "chat-desktop.png");
        // Each answer can bring its own result back onto the map.
        await page.Locator(".msg.assistant .answer").First.Locator(".show-map").ClickAsync();
        await Assertions.Expect(page.Locator("#map-caption")).ToContainTextAsync(g3.GetProperty("place").GetProperty("description").GetString()!);
        Assert.Equal(CountWithPoint(g3.GetProperty("candidates")), await page.Locator("#map [data-kind=candidate]").CountAsync());

        // Phone width: the same conversation, map above the thread.
        var phone = await OpenAsync(host, Phone, 2);
        await UploadAsync(phone.Page, photo, (lat, lon));
        await WaitAsync(phone, phone.Page.Locator(".msg.assistant .answer").Last);
        Assert.Equal(lmm.Count, await phone.Page.Locator("#map .marker.candidate.lmm").CountAsync());
        await phone.Page.EvaluateAsync("window.scrollTo(0, 0)");
        await ScreenshotAsync(phone.Page, "chat-phone-map.png");
        await phone.Page.Locator(".msg.assistant .answer").Last.ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync(phone.Page, "chat-phone-answer.png");

        Assert.Empty(w.External);
        Assert.Empty(w.Errors);
        Assert.Empty(phone.Errors);
        await page.Context.CloseAsync();
        await phone.Page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Several_photos_of_one_place_go_in_one_question_and_get_the_APIs_answer_for_them_together()
    {
        var host = fixture.Plain;
        var photos = Enumerable.Range(4, 3).Select(i => fixture.QueryPhoto(i).Path).ToArray();
        var w = await OpenAsync(host, Desktop);
        var page = w.Page;
        var chosen = page.Locator("#pending .pending-item");

        // The picker's choice replaces the chosen photos; a removed one leaves the others.
        await page.SetInputFilesAsync("#composer-photo", photos[..1]);
        await Assertions.Expect(chosen).ToHaveCountAsync(1);
        await page.SetInputFilesAsync("#composer-photo", photos);
        await Assertions.Expect(chosen).ToHaveCountAsync(3);
        await chosen.Nth(2).Locator("button.pending-remove").ClickAsync();
        await Assertions.Expect(chosen).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#pending .pending-name")).ToHaveTextAsync([Path.GetFileName(photos[0]), Path.GetFileName(photos[1])]);

        await page.ClickAsync("#composer-send");
        var answer = page.Locator(".msg.assistant .answer").Last;
        await WaitAsync(w, answer);
        await Assertions.Expect(page.Locator(".msg.user").Last.Locator("img.thumb")).ToHaveCountAsync(2);
        Assert.Equal("Where were these photos taken?", await page.Locator(".msg.user").Last.Locator(".text").InnerTextAsync());

        // The same two photos in one message through the API: the same place, and the service's note on the photos on the card.
        var api = await host.AskAsync([UserImages("Where were these photos taken?", photos[..2])]);
        var g3 = api.GetProperty("g3");
        Assert.Equal(2, g3.GetProperty("views").GetProperty("count").GetInt32());
        Assert.Equal(g3.GetProperty("place").GetProperty("description").GetString(), await answer.Locator(".answer-place").InnerTextAsync());
        Assert.Contains(g3.GetProperty("latitude").GetDouble().ToString("0.0000", CultureInfo.InvariantCulture), await answer.Locator(".answer-coords").InnerTextAsync(), StringComparison.Ordinal);
        var content = api.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        var viewsLine = content.ReplaceLineEndings("\n").Split('\n').Single(l => l.StartsWith("Placed from 2 photos", StringComparison.Ordinal) || l.Contains("the answer averages all 2 photos", StringComparison.Ordinal));
        Assert.Contains(viewsLine, await answer.Locator(".answer-text").InnerTextAsync(), StringComparison.Ordinal);
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await ScreenshotAsync(page, "chat-desktop-several-photos.png");

        // More than the service takes at once: the first eight are kept, and the page says why.
        var nine = Enumerable.Range(0, 9).Select(i => new FilePayload { Name = $"view{i}.jpg", MimeType = "image/jpeg", Buffer = File.ReadAllBytes(photos[0]) }).ToArray();
        await page.SetInputFilesAsync("#composer-photo", nine);
        await Assertions.Expect(chosen).ToHaveCountAsync(8);
        await Assertions.Expect(page.Locator("#composer-error")).ToContainTextAsync("At most 8 photos of one place");

        Assert.Empty(w.External);
        Assert.Empty(w.Errors);
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Too_large_and_unreadable_photos_get_readable_errors_and_the_photo_is_kept_for_retry()
    {
        var w = await OpenAsync(fixture.Plain, Desktop);
        var page = w.Page;

        // A PNG whose header claims more pixels than the service accepts: 413.
        await page.SetInputFilesAsync("#composer-photo", TestPaths.Fixture("images", "huge_header.png"));
        await page.ClickAsync("#composer-send");
        var tooLarge = page.Locator(".error-card[data-status='413']");
        await WaitAsync(w, tooLarge, 30_000);
        await Assertions.Expect(tooLarge.Locator(".error-title")).ToHaveTextAsync("This photo is too large");
        await Assertions.Expect(page.Locator("#pending")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#pending .pending-name")).ToHaveTextAsync("huge_header.png");
        // Retry sends the kept photo again and gets the same answer.
        await tooLarge.Locator("button.retry").ClickAsync();
        await Assertions.Expect(page.Locator(".error-card[data-status='413']")).ToHaveCountAsync(1);

        // Bytes that claim to be a PNG but are not an image: 415.
        await page.SetInputFilesAsync("#composer-photo", new FilePayload { Name = "not-a-photo.png", MimeType = "image/png", Buffer = "this is not an image"u8.ToArray() });
        await page.ClickAsync("#composer-send");
        var unreadable = page.Locator(".error-card[data-status='415']");
        await WaitAsync(w, unreadable, 30_000);
        await Assertions.Expect(unreadable.Locator(".error-title")).ToHaveTextAsync("This file is not a photo the service can read");
        await Assertions.Expect(page.Locator("#pending .pending-name")).ToHaveTextAsync("not-a-photo.png");
        await ScreenshotAsync(page, "chat-desktop-errors.png");

        // The only console errors are the browser's own notes of the two refused requests.
        Assert.All(w.Errors, e => Assert.Matches(@"^Failed to load resource: the server responded with a status of 41[35]", e));
        Assert.Empty(w.External);
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Where_keys_are_required_the_page_asks_for_one_keeps_it_in_session_storage_and_retries()
    {
        var w = await OpenAsync(fixture.WithKeys, Desktop);
        var page = w.Page;
        var (photo, _, _) = fixture.QueryPhoto(3);

        // No key is sent until the service asks for one: the first try gets 401 and the key dialog opens.
        await UploadAsync(page, photo);
        await WaitAsync(w, page.Locator(".error-card[data-status='401']"), 30_000);
        await Assertions.Expect(page.Locator("#key-dialog")).ToBeVisibleAsync();
        await page.FillAsync("#key-input", BrowserFixture.ApiKey);
        await page.ClickAsync("#key-save");
        await Assertions.Expect(page.Locator("#key-dialog")).ToBeHiddenAsync();
        Assert.Equal(BrowserFixture.ApiKey, await page.EvaluateAsync<string>("sessionStorage.getItem('g3.apiKey')"));

        // Retry sends the kept photo with the key, as a header: never in a URL.
        var urls = new List<string>();
        page.Request += (_, r) => urls.Add(r.Url);
        await page.Locator(".error-card[data-status='401'] button.retry").ClickAsync();
        await WaitAsync(w, page.Locator(".msg.assistant .answer").Last);
        Assert.DoesNotContain(urls, u => u.Contains(BrowserFixture.ApiKey, StringComparison.Ordinal));
        Assert.DoesNotContain(BrowserFixture.ApiKey, page.Url, StringComparison.Ordinal);

        Assert.All(w.Errors, e => Assert.Matches(@"^Failed to load resource: the server responded with a status of 401", e));
        Assert.Empty(w.External);
        await page.Context.CloseAsync();
    }
}
