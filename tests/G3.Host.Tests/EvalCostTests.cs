using System.Globalization;
using System.Text.Json;
using G3.Cli;
using G3.Evaluation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace G3.Host.Tests;

/// <summary>
/// An eval run against an OpenAI stub that reports usage: the report's token and cost columns equal the stub's own
/// totals at the configured prices, and --max-cost stops the run where the cap would be passed, resumably.
/// </summary>
public sealed class EvalCostTests(ServiceFixture service) : IClassFixture<ServiceFixture>, IDisposable
{
    // Prices as configured below: per million input and output tokens, and per image.
    private const decimal InputPrice = 2m, OutputPrice = 8m, ImagePrice = 0.01m;

    private readonly string _dir = Directory.CreateTempSubdirectory("g3-eval-cost").FullName;
    private int _calls;
    private long _inputTokens, _outputTokens;

    private async Task<WebApplication> StartLmmStubAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", async (HttpContext ctx) =>
        {
            var call = Interlocked.Increment(ref _calls);
            using var body = await JsonDocument.ParseAsync(ctx.Request.Body);
            var n = body.RootElement.TryGetProperty("n", out var nEl) ? nEl.GetInt32() : 1;
            // Counts that differ per call, so a report that multiplied one call's usage would not match.
            long input = 1000 + call, output = 20 * n + call % 3;
            Interlocked.Add(ref _inputTokens, input);
            Interlocked.Add(ref _outputTokens, output);
            var choices = Enumerable.Range(0, n).Select(i => new { index = i, message = new { role = "assistant", content = "{\"latitude\": 48.85, \"longitude\": 2.35}" }, finish_reason = "stop" });
            return Results.Json(new
            {
                id = "x", @object = "chat.completion", created = 1, model = "stub", choices,
                usage = new { prompt_tokens = input, completion_tokens = output, total_tokens = input + output },
            });
        });
        await app.StartAsync();
        return app;
    }

    private string WriteExperiment()
    {
        var experiment = new
        {
            name = "cost",
            dataset = EvalCliRun.Dataset,
            concurrency = 1,
            configurations = new object[]
            {
                new { name = "full", provider = "stub", g3 = new { reference_counts = new[] { 0, 2 }, samples_per_prompt = 2 } },
                new { name = "retrieval-only", provider = "none" },
            },
        };
        return EvalCliRun.WriteExperiment(_dir, experiment);
    }

    private Task<(int Exit, string Out, string Err)> Eval(string experiment, int port, bool priced, params string[] extra) =>
        EvalCliRun.RunAsync(service, _dir, experiment, port, "stub", extra, priced
            ? ["--Lmm:Providers:stub:Price:InputPerMillionTokens=2", "--Lmm:Providers:stub:Price:OutputPerMillionTokens=8", "--Lmm:Providers:stub:Price:PerImage=0.01"]
            : []);

    private ConfigurationMetrics Metrics(string configuration) =>
        EvalMetrics.Compute(ResultsFile.Read(Path.Combine(_dir, "run"))).Single(m => m.Configuration == configuration);

    private decimal StubCost() => (_inputTokens * InputPrice + _outputTokens * OutputPrice) / 1_000_000m + _calls * ImagePrice;

    [Fact]
    public async Task The_report_counts_the_stubs_tokens_and_prices_them()
    {
        await using var stub = await StartLmmStubAsync();
        var (exit, output, error) = await Eval(WriteExperiment(), new Uri(stub.Urls.First()).Port, priced: true);
        Assert.True(exit == 0, error + output);

        var full = Metrics("full").Usage;
        Assert.Equal(8, _calls); // 4 images × 2 prompts (n = 2 per call)
        Assert.Equal(_calls, full.Calls);
        Assert.Equal(_inputTokens, full.InputTokens);
        Assert.Equal(_outputTokens, full.OutputTokens);
        Assert.Equal(_calls, full.Images);
        Assert.Equal(StubCost(), full.Cost);
        Assert.Equal(EvalUsage.None, Metrics("retrieval-only").Usage);

        var csv = File.ReadAllLines(Path.Combine(_dir, "run", "report.csv"));
        Assert.EndsWith("lmm_calls,cached_answers,input_tokens,output_tokens,images_sent,estimated_cost", csv[0], StringComparison.Ordinal);
        Assert.EndsWith(string.Create(CultureInfo.InvariantCulture, $",{_calls},0,{_inputTokens},{_outputTokens},{_calls},{StubCost()}"),
            csv.Single(l => l.StartsWith("full,", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"| full | {_calls} | 0 | {_inputTokens} | {_outputTokens} | {_calls} |"), output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_price_the_cost_is_unknown_not_zero_and_a_cap_is_refused()
    {
        await using var stub = await StartLmmStubAsync();
        var experiment = WriteExperiment();
        var port = new Uri(stub.Urls.First()).Port;
        var (exit, output, error) = await Eval(experiment, port, priced: false, "--limit", "1");
        Assert.True(exit == 0, error + output);
        Assert.Null(Metrics("full").Usage.Cost);
        Assert.Equal(_inputTokens, Metrics("full").Usage.InputTokens);
        Assert.Contains("| unknown |", output, StringComparison.Ordinal);

        var calls = _calls;
        var (capped, _, capError) = await Eval(experiment, port, priced: false, "--max-cost", "1");
        Assert.Equal(1, capped);
        Assert.Contains("Lmm:Providers:stub:Price", capError, StringComparison.Ordinal);
        Assert.Equal(calls, _calls);
    }

    [Fact]
    public async Task Max_cost_stops_the_run_before_passing_the_cap_and_a_rerun_resumes_to_the_end()
    {
        await using var stub = await StartLmmStubAsync();
        var experiment = WriteExperiment();
        var port = new Uri(stub.Urls.First()).Port;
        // One image costs 2 calls: about 2 × 1000 input and 2 × 40 output tokens, and 2 images, so about 0.0247.
        // A cap of 0.06 lets two images start (the second is expected to cost as much as the first) and stops the third.
        var (exit, output, error) = await Eval(experiment, port, priced: true, "--max-cost", "0.06");
        Assert.True(exit == ExitCodes.Interrupted, error + output);
        Assert.Contains("stopped at the cost cap", error, StringComparison.Ordinal);
        Assert.Contains("6 image × configuration pairs left", error, StringComparison.Ordinal);
        Assert.Contains("Incomplete run: stopped at the cost cap", File.ReadAllText(Path.Combine(_dir, "run", "report.md")), StringComparison.Ordinal);
        var records = ResultsFile.Read(Path.Combine(_dir, "run"));
        Assert.Equal(2, records.Count);
        Assert.Equal(4, _calls);
        Assert.True(StubCost() <= 0.06m, $"spent {StubCost()}");

        var (again, output2, error2) = await Eval(experiment, port, priced: true);
        Assert.True(again == 0, error2 + output2);
        Assert.Contains("6 evaluated, 2 already", output2, StringComparison.Ordinal);
        records = ResultsFile.Read(Path.Combine(_dir, "run"));
        Assert.Equal(8, records.Select(r => (r.Configuration, r.ImageId)).Distinct().Count());
        Assert.Equal(8, _calls);
        Assert.Equal(StubCost(), Metrics("full").Usage.Cost);
        Assert.DoesNotContain("Incomplete run", File.ReadAllText(Path.Combine(_dir, "run", "report.md")), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
