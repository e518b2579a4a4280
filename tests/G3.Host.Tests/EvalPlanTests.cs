using System.Text.Json;
using G3.Cli;
using G3.Diversification.Tokens;
using G3.Evaluation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace G3.Host.Tests;

/// <summary>
/// g3 eval --plan against the run it plans: the calls it predicts are the calls the stub then receives, exactly; its input
/// tokens are within its stated tolerance of what the stub reports; the stub's output tokens stay under its bound; and a
/// plan after the run needs no call. The stub counts each request it receives as OpenAI documents (o200k_base text, 3 tokens
/// per message and per call, 85 per low-detail image); the plan counts from the rendered prompt before any call, with the same
/// vocabulary, so what this compares is that the plan sees the messages and images the run sends, not the vocabulary itself.
/// </summary>
public sealed class EvalPlanTests(ServiceFixture service) : IClassFixture<ServiceFixture>, IDisposable
{
    private const string Answer = "{\"latitude\": 48.85, \"longitude\": 2.35}";
    private readonly string _dir = Directory.CreateTempSubdirectory("g3-eval-plan").FullName;
    private int _calls;
    private long _inputTokens, _outputTokens;

    private async Task<WebApplication> StartLmmStubAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var text = TextTokenizers.Get(TextTokenizers.O200kBase);
        app.MapPost("/v1/chat/completions", async (HttpContext ctx) =>
        {
            Interlocked.Increment(ref _calls);
            using var body = await JsonDocument.ParseAsync(ctx.Request.Body);
            var n = body.RootElement.TryGetProperty("n", out var nEl) ? nEl.GetInt32() : 1;
            long input = 3;
            foreach (var message in body.RootElement.GetProperty("messages").EnumerateArray())
            {
                input += 3 + text.CountTokens(message.GetProperty("role").GetString()!);
                var content = message.GetProperty("content");
                if (content.ValueKind == JsonValueKind.String)
                {
                    input += text.CountTokens(content.GetString()!);
                    continue;
                }
                foreach (var part in content.EnumerateArray())
                    input += part.GetProperty("type").GetString() == "text"
                        ? text.CountTokens(part.GetProperty("text").GetString()!)
                        : part.GetProperty("image_url").GetProperty("detail").GetString() == "low" ? 85 : throw new InvalidDataException("this stub counts low-detail images only");
            }
            long output = n * text.CountTokens(Answer);
            Interlocked.Add(ref _inputTokens, input);
            Interlocked.Add(ref _outputTokens, output);
            var choices = Enumerable.Range(0, n).Select(i => new { index = i, message = new { role = "assistant", content = Answer }, finish_reason = "stop" });
            return Results.Json(new
            {
                id = "x", @object = "chat.completion", created = 1, model = "gpt-4o", choices,
                usage = new { prompt_tokens = input, completion_tokens = output, total_tokens = input + output },
            });
        });
        await app.StartAsync();
        return app;
    }

    private string WriteExperiment()
    {
        var g3 = new { reference_counts = new[] { 0, 2 }, samples_per_prompt = 2 };
        var experiment = new
        {
            name = "plan",
            dataset = EvalCliRun.Dataset,
            concurrency = 1,
            configurations = new object[]
            {
                new { name = "full", provider = "stub", g3 },
                // The same LMM requests under another selector: the run replays the first configuration's answers.
                new { name = "full-medoid", provider = "stub", selector = "medoid", g3 },
                new { name = "retrieval-only", provider = "none" },
            },
        };
        return EvalCliRun.WriteExperiment(_dir, experiment);
    }

    private Task<(int Exit, string Out, string Err)> Eval(string experiment, int port, params string[] extra) =>
        EvalCliRun.RunAsync(service, _dir, experiment, port, "gpt-4o", extra,
            "--Lmm:Providers:stub:RequestsPerMinute=600",
            "--Lmm:Providers:stub:Price:InputPerMillionTokens=2", "--Lmm:Providers:stub:Price:OutputPerMillionTokens=8");

    private EvalPlan ReadPlan(string path) => JsonSerializer.Deserialize<EvalPlan>(File.ReadAllText(path), EvalJsonForTests.Options)!;

    [Fact]
    public async Task The_plan_predicts_the_runs_calls_exactly_and_its_tokens_within_the_stated_tolerance_and_nothing_after_it()
    {
        await using var stub = await StartLmmStubAsync();
        var experiment = WriteExperiment();
        var port = new Uri(stub.Urls.First()).Port;
        var planPath = Path.Combine(_dir, "plan.json");

        var (exit, output, error) = await Eval(experiment, port, "--plan", "--plan-json", planPath);
        Assert.True(exit == 0, error + output);
        Assert.Equal(0, _calls);
        Assert.False(Directory.Exists(Path.Combine(_dir, "run")), "a plan writes no run folder");
        var plan = ReadPlan(planPath);
        Assert.Equal(4, plan.Images);
        var full = plan.Configurations.Single(c => c.Name == "full");
        Assert.Equal(8, full.Calls); // 4 images × 2 prompts, n = 2 per call
        Assert.Equal(16, full.Samples);
        Assert.Equal(0, plan.Configurations.Single(c => c.Name == "full-medoid").Calls);
        Assert.Equal(16, plan.Configurations.Single(c => c.Name == "full-medoid").CachedSamples);
        Assert.Equal(0, plan.Configurations.Single(c => c.Name == "retrieval-only").Calls);
        var provider = Assert.Single(plan.Providers);
        // 8 calls at 600 a minute, spaced 1 % wider than 100 ms.
        Assert.Equal(8.0 / 600 * 1.01, provider.Minutes!.Value, 6);
        Assert.Contains("| stub | gpt-4o | 8 |", output, StringComparison.Ordinal);
        Assert.Contains("±5 %", output, StringComparison.Ordinal);

        var (ran, runOutput, runError) = await Eval(experiment, port);
        Assert.True(ran == 0, runError + runOutput);
        Assert.Equal(plan.Calls, _calls);
        Assert.InRange(full.InputTokens, _inputTokens * (1 - provider.InputTolerance), _inputTokens * (1 + provider.InputTolerance));
        Assert.True(_outputTokens <= full.OutputTokenLimit, $"output {_outputTokens} over the plan's bound {full.OutputTokenLimit}");
        Assert.Equal((full.InputTokens * 2m + full.OutputTokenLimit!.Value * 8m) / 1_000_000m, full.Cost);

        var (again, againOutput, againError) = await Eval(experiment, port, "--plan", "--plan-json", planPath);
        Assert.True(again == 0, againError + againOutput);
        var after = ReadPlan(planPath);
        Assert.Equal(0, after.Calls);
        Assert.All(after.Configurations, c => Assert.Equal(0, c.PairsLeft));
        Assert.Equal(_calls, plan.Calls);
    }

    [Fact]
    public async Task A_plan_also_counts_the_cache_alone_when_the_run_folder_is_new()
    {
        await using var stub = await StartLmmStubAsync();
        var experiment = WriteExperiment();
        var port = new Uri(stub.Urls.First()).Port;
        var (ran, runOutput, runError) = await Eval(experiment, port, "--limit", "2");
        Assert.True(ran == 0, runError + runOutput);
        Assert.Equal(4, _calls);
        Directory.Delete(Path.Combine(_dir, "run"), recursive: true);

        var planPath = Path.Combine(_dir, "plan.json");
        var (exit, output, error) = await Eval(experiment, port, "--plan", "--plan-json", planPath);
        Assert.True(exit == 0, error + output);
        var full = ReadPlan(planPath).Configurations.Single(c => c.Name == "full");
        // Every pair is left (no run folder), but the first two images' answers are in the cache.
        Assert.Equal(4, full.PairsLeft);
        Assert.Equal(4, full.Calls);
        Assert.Equal(8, full.CachedSamples);
    }

    [Fact]
    public async Task Bad_input_to_a_plan_is_a_usage_error_that_changes_nothing()
    {
        var bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(bad, "{\"name\": \"x\", \"dataset\": {\"kind\": \"synthetic\"}, \"configurationz\": []}");
        var (exit, _, error) = await Eval(bad, 1, "--plan");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("experiment file", error, StringComparison.Ordinal);

        var (typo, _, typoError) = await Eval(WriteExperiment(), 1, "--plan", "--Lmm:Providers:stub:RequestPerMinute=60");
        Assert.Equal(ExitCodes.Usage, typo);
        Assert.Contains("RequestPerMinute", typoError, StringComparison.Ordinal);

        var (zero, _, zeroError) = await Eval(WriteExperiment(), 1, "--plan", "--Lmm:Providers:stub:TokensPerMinute=0");
        Assert.Equal(ExitCodes.Usage, zero);
        Assert.Contains("Lmm:Providers:stub:TokensPerMinute must be in 1..", zeroError, StringComparison.Ordinal);

        var (alone, _, aloneError) = await Eval(WriteExperiment(), 1, "--plan-json", Path.Combine(_dir, "p.json"));
        Assert.Equal(ExitCodes.Usage, alone);
        Assert.Contains("--plan-json goes with --plan", aloneError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "run")));
        Assert.False(File.Exists(Path.Combine(_dir, "p.json")));
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}

/// <summary>The JSON shape g3 writes plans in (snake_case).</summary>
internal static class EvalJsonForTests
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
