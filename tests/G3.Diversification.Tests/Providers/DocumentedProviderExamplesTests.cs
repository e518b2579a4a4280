using System.Text;
using System.Text.RegularExpressions;
using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Diversification.Caching;
using G3.Diversification.Generation;
using G3.Diversification.Prompts;
using G3.Diversification.Providers;
using G3.Diversification.Tests.Stubs;
using Microsoft.Extensions.Configuration;

namespace G3.Diversification.Tests.Providers;

/// <summary>
/// The provider entries appsettings.json documents (openai, azure-openai, ollama, openai-compatible) bind strictly
/// (every key is an options property) and each answers through the generator against a stub of its protocol.
/// </summary>
public sealed partial class DocumentedProviderExamplesTests
{
    private const string Answer = "{\"latitude\": 45.76, \"longitude\": 4.84}";

    /// <summary>The lines between the &lt;provider-examples&gt; markers, uncommented, as the "Lmm:Providers" object.</summary>
    private static Dictionary<string, LmmProviderOptions> DocumentedProviders()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json"));
        var block = ExampleBlock().Match(text);
        Assert.True(block.Success, "appsettings.json has no <provider-examples> block");
        var json = new StringBuilder("{ \"Lmm\": { \"Providers\": {");
        foreach (var line in block.Groups[1].Value.Split('\n'))
            json.AppendLine(CommentPrefix().Replace(line, ""));
        json.Append("} } }");
        var config = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json.ToString()))).Build();
        return config.GetSection("Lmm:Providers").Get<Dictionary<string, LmmProviderOptions>>(o => o.ErrorOnUnknownConfiguration = true)!;
    }

    [Fact]
    public void Every_kind_is_documented_and_binds_strictly()
    {
        var providers = DocumentedProviders();

        Assert.Equal(
            [LmmProviderKinds.AzureOpenAI, LmmProviderKinds.Ollama, LmmProviderKinds.OpenAI, LmmProviderKinds.OpenAICompatible],
            providers.Values.Select(p => p.Kind).Order());
        Assert.Equal(TimeSpan.FromSeconds(30), providers["gpt4o"].Resilience.Timeout);
        Assert.Equal("g3-gpt4o", providers["azure"].Deployment);
        Assert.Equal("10m", providers["llava"].KeepAlive);
    }

    [Fact]
    public async Task Each_documented_provider_answers_through_the_generator_against_its_stub()
    {
        await using var openai = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OpenAIChoices(ctx, "gpt-4o", Answer, Answer));
        await using var azure = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OpenAIChoices(ctx, "gpt-4o", Answer, Answer));
        await using var ollama = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OllamaMessage(ctx, "llava:13b", Answer));
        await using var vllm = await StubLmmServer.StartAsync((ctx, _) => StubReplies.OpenAIChoices(ctx, "llava-hf/llava-1.5-7b-hf", Answer, Answer));
        var documented = DocumentedProviders();
        var providers = new Dictionary<string, LmmProviderOptions>
        {
            ["gpt4o"] = documented["gpt4o"] with { Endpoint = new Uri(openai.BaseUri, "v1"), ApiKey = "sk-from-env" },
            ["azure"] = documented["azure"] with { Endpoint = azure.BaseUri, ApiKey = "azure-key-from-env" },
            ["llava"] = documented["llava"] with { Endpoint = ollama.BaseUri },
            ["vllm"] = documented["vllm"] with { Endpoint = new Uri(vllm.BaseUri, "v1") },
        };
        using var registry = LmmProviderRegistry.Create(new LmmOptions { Default = "gpt4o", Providers = providers });

        foreach (var name in providers.Keys)
        {
            var generator = new LmmCandidateGenerator(registry.Kernel, registry.Get(name).Info, PromptTemplates.Default, ResponseCache.Disabled);
            var candidates = await generator.GenerateAsync(
                new GenerationRequest(new QueryImage(TestImages.RedSquareJpeg), new PromptVariant(0, 0), [], [], 0, 2, null, PlaceGranularity.None), default);
            Assert.All(candidates, c => Assert.True(c.IsValid, $"{name}: {c.Error}"));
        }

        Assert.Equal("/v1/chat/completions", Assert.Single(openai.Requests).Path);
        Assert.Equal("/openai/deployments/g3-gpt4o/chat/completions", Assert.Single(azure.Requests).Path);
        Assert.Equal("?api-version=2024-10-21", azure.Requests[0].Query);
        Assert.Equal("json_schema", azure.Requests[0].Body.GetProperty("response_format").GetProperty("type").GetString());
        Assert.Equal(2, ollama.Requests.Count);
        Assert.All(ollama.Requests, r => Assert.Equal("json", r.Body.GetProperty("format").GetString()));
        Assert.All(ollama.Requests, r => Assert.Equal(0.7, r.Body.GetProperty("options").GetProperty("temperature").GetDouble(), 3));
        Assert.Equal("/v1/chat/completions", Assert.Single(vllm.Requests).Path);
        Assert.Equal(200, vllm.Requests[0].Body.GetProperty("max_tokens").GetInt32());
        Assert.Equal(1.2, openai.Requests[0].Body.GetProperty("temperature").GetDouble(), 3);
    }

    [GeneratedRegex(@"<provider-examples>\r?\n(.*?)\r?\n\s*// </provider-examples>", RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();

    [GeneratedRegex(@"^\s*//")]
    private static partial Regex CommentPrefix();
}
