using System.Globalization;
using Microsoft.Playwright;

namespace G3.Browser.Tests;

/// <summary>What the browser tests need from the machine; a missing piece skips them with the reason.</summary>
internal static class BrowserPrerequisites
{
    /// <summary>Debian's chromium (scripts/bootstrap.sh installs it); $G3_CHROMIUM points elsewhere.</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("G3_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    public static string? Missing()
    {
        if (!File.Exists(ChromiumPath))
            return $"needs Chromium at {ChromiumPath}: run scripts/bootstrap.sh (Debian package chromium) or set G3_CHROMIUM";
        if (!File.Exists(TestPaths.InRepo(".deps", "geodata", "cities.pbf")))
            return "needs the geography data in .deps/geodata: run scripts/bootstrap.sh";
        if (!File.Exists(TestPaths.InRepo(".deps", "web", "d3-geo@3.1.1", "d3-geo.min.js")))
            return "needs the chat page's map libraries in .deps/web: run scripts/bootstrap.sh";
        return null;
    }
}

/// <summary>A fact run in a real browser; skipped, with the reason printed, where no Chromium is installed.</summary>
internal sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (BrowserPrerequisites.Missing() is { } reason) Skip = reason;
    }
}

/// <summary>
/// Two real hosts on one small synthetic world (the host's own first start generates and indexes it): the
/// embedded default with LMM "none", and the same with a stub LMM that answers in text. Plus one Chromium.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("g3-browser").FullName;
    private StubLmm? _stub;
    private IPlaywright? _playwright;

    internal PageHost Plain { get; private set; } = null!;
    internal PageHost WithLmm { get; private set; } = null!;
    internal PageHost WithKeys { get; private set; } = null!;

    /// <summary>The one key the keyed host accepts.</summary>
    public const string ApiKey = "page-test-key";
    internal IBrowser Browser { get; private set; } = null!;

    public string World => Path.Combine(_dir, "world");

    /// <summary>Where the tests save their screenshots: TestResults/screenshots (git-ignored), or $G3_SCREENSHOTS.</summary>
    public static string ScreenshotDir =>
        Environment.GetEnvironmentVariable("G3_SCREENSHOTS") is { Length: > 0 } d ? d : TestPaths.InRepo("TestResults", "screenshots");

    private Dictionary<string, string> Settings() => new()
    {
        ["Model:Manifest"] = TestPaths.InRepo("models", "g3-mini", "manifest.json"),
        ["Store:Kind"] = "embedded",
        ["Store:Embedded:Directory"] = Path.Combine(_dir, "store"),
        ["FirstStart:BuildEmbeddedStore"] = "true",
        ["FirstStart:WorldDirectory"] = World,
        ["FirstStart:Seed"] = "5",
        ["FirstStart:DatabaseCount"] = "400",
        ["FirstStart:QueryCount"] = "8",
        ["Cache:Mode"] = "Off",
        ["RateLimits:PermitsPerMinute"] = "0",
    };

    public async Task InitializeAsync()
    {
        if (BrowserPrerequisites.Missing() is not null) return;
        Plain = new PageHost(Settings());
        await Plain.StartAsync();

        _stub = await StubLmm.StartAsync();
        var lmm = Settings();
        lmm["Lmm:Default"] = "stub";
        lmm["Lmm:Providers:stub:Kind"] = "openai";
        lmm["Lmm:Providers:stub:Model"] = "stub-vision";
        lmm["Lmm:Providers:stub:ApiKey"] = "k";
        lmm["Lmm:Providers:stub:Endpoint"] = _stub.Endpoint;
        lmm["Lmm:Providers:stub:Resilience:Retry:MaxRetries"] = "0";
        lmm["Pipeline:SamplesPerPrompt"] = "2";
        WithLmm = new PageHost(lmm);
        await WithLmm.StartAsync();

        var keyed = Settings();
        keyed["Security:RequireApiKey"] = "true";
        keyed["Security:ApiKeys:0"] = ApiKey;
        WithKeys = new PageHost(keyed);
        await WithKeys.StartAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserPrerequisites.ChromiumPath,
            Headless = true,
            // Root in a container has no user namespaces for Chromium's sandbox.
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }

    /// <summary>One query photo of the synthetic world and its true place (im2gps3k/metadata.csv: IMG_ID, LAT, LON).</summary>
    public (string Path, double Lat, double Lon) QueryPhoto(int index)
    {
        var row = File.ReadAllLines(Synthetic.SyntheticWorldLayout.QueryMetadata(World)).Skip(1 + index).First().Split(',');
        return (Path.Combine(Synthetic.SyntheticWorldLayout.QueryImages(World), row[0]),
            double.Parse(row[1], CultureInfo.InvariantCulture), double.Parse(row[2], CultureInfo.InvariantCulture));
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (WithKeys is not null) await WithKeys.DisposeAsync();
        if (WithLmm is not null) await WithLmm.DisposeAsync();
        if (Plain is not null) await Plain.DisposeAsync();
        if (_stub is not null) await _stub.DisposeAsync();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
