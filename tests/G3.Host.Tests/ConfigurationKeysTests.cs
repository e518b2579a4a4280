using G3.Host.Composition;
using G3.Retrieval;
using Microsoft.Extensions.Configuration;

namespace G3.Host.Tests;

/// <summary>Keys under the project's sections must be bound by an options class; anything else is a typo, refused at start.</summary>
public class ConfigurationKeysTests
{
    private static IConfiguration Config(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    [Fact]
    public void Every_key_of_the_shipped_appsettings_is_bound_by_an_options_class()
    {
        var shipped = new ConfigurationBuilder().AddJsonFile(TestPaths.InRepo("appsettings.json")).Build();
        Assert.Empty(ConfigurationSchema.UnknownKeys(shipped));
    }

    [Fact]
    public void Keys_bound_by_nested_classes_dictionaries_and_lists_are_accepted()
    {
        var config = Config(new()
        {
            ["Lmm:Providers:gpt4o:Kind"] = "openai",
            ["Lmm:Providers:gpt4o:Fallbacks:0"] = "llava",
            ["Lmm:Providers:llava:Resilience:Timeout"] = "00:00:45",
            ["Store:Qdrant:Collection"] = "c",
            ["Store:Embedded:ElementType"] = "Float16",
            ["Images:MaxPixels"] = "5",
            ["Images:UrlTimeoutSeconds"] = "3",
            ["Pipeline:ReferenceCounts:2"] = "10",
            ["Logging:LogLevel:Whatever"] = "Debug", // not a project section: ASP.NET Core's
        });
        Assert.Empty(ConfigurationSchema.UnknownKeys(config));
    }

    [Theory]
    [InlineData("Store:Embeded:Directory", "'Store:Embeded' (did you mean 'Store:Embedded'?)")]
    [InlineData("Store:Embedded:Directry", "'Store:Embedded:Directry' (did you mean 'Store:Embedded:Directory'?)")]
    [InlineData("Lmm:Providers:gpt4o:Modle", "'Lmm:Providers:gpt4o:Modle' (did you mean 'Lmm:Providers:gpt4o:Model'?)")]
    [InlineData("Lmm:Providers:gpt4o:Price:InputPerMilionTokens", "'Lmm:Providers:gpt4o:Price:InputPerMilionTokens' (did you mean 'Lmm:Providers:gpt4o:Price:InputPerMillionTokens'?)")]
    [InlineData("Pipeline:SamplesPerPromt", "'Pipeline:SamplesPerPromt' (did you mean 'Pipeline:SamplesPerPrompt'?)")]
    [InlineData("Images:UrlTimeout", "'Images:UrlTimeout' (did you mean 'Images:UrlTimeoutSeconds'?)")]
    [InlineData("Hosting:ShutdownTimeout", "'Hosting:ShutdownTimeout' (did you mean 'Hosting:ShutdownTimeoutSeconds'?)")]
    [InlineData("Model:Manifest:Path", "'Model:Manifest:Path' ('Model:Manifest' is a single value)")]
    public void An_unknown_key_is_named_with_the_nearest_known_one(string key, string expected)
    {
        var errors = ConfigurationSchema.UnknownKeys(Config(new() { [key] = "1" }));
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_service_refuses_to_start_with_an_unknown_key()
    {
        // The host itself, past the CLI's check (as a test host or another caller would build it): ValidateOnStart refuses.
        await using var app = Hosting.ServiceHost.Build(["--urls=http://127.0.0.1:0", "--FirstStart:BuildEmbeddedStore=false",
            "--Model:Manifest=absent/manifest.json", "--Store:Embeded:Directory=elsewhere", "--Pipeline:SamplesPerPrompt=-1"]);
        var e = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
        var failures = string.Join("\n", Hosting.StartFailure.Messages(e) ?? throw e);
        Assert.Contains("unknown configuration key 'Store:Embeded' (did you mean 'Store:Embedded'?)", failures, StringComparison.Ordinal);
        Assert.Contains("SamplesPerPrompt", failures, StringComparison.Ordinal);
    }

    [Fact]
    public void Relative_paths_resolve_from_the_folder_holding_appsettings_json()
    {
        Assert.Equal(TestPaths.RepoRoot, G3Paths.Root);
        Assert.Equal(TestPaths.InRepo("data", "stores", "x"), G3Paths.Resolve("data/stores/x"));
        Assert.Equal("/abs/x", G3Paths.Resolve("/abs/x"));
        Assert.Equal(TestPaths.RepoRoot, G3Paths.FindRoot(TestPaths.InRepo("src", "G3.Cli", "bin")));
    }

    [Fact]
    public async Task A_verb_run_from_another_working_directory_reads_the_same_paths()
    {
        // The default manifest (models/g3-mini) loads; the store named relatively must be looked for under the repository root.
        var elsewhere = Directory.CreateTempSubdirectory("g3-cwd").FullName;
        try
        {
            var (exit, _, error) = await G3Process.RunAsync(elsewhere, TimeSpan.FromSeconds(120),
                "geolocate", TestPaths.Fixture("images", "landscape.jpg"), "--Store:Embedded:Directory=data/stores/absent-for-test", "--Cache:Mode=Off");
            Assert.Equal(1, exit);
            Assert.Contains(TestPaths.InRepo("data", "stores", "absent-for-test"), error, StringComparison.Ordinal);
            Assert.DoesNotContain(elsewhere, error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(elsewhere, true);
        }
    }

    [Fact]
    public void A_float16_store_is_described_as_one()
    {
        var store = new StoreSettings { Embedded = new() { Directory = "data/stores/f16", ElementType = G3.Retrieval.Embedded.StoreElementType.Float16 } };
        Assert.Equal("embedded float16 store " + TestPaths.InRepo("data", "stores", "f16"), ReferenceStores.Describe(store, G3Paths.Resolve));
    }
}
