using System.CommandLine;
using System.Text.Json;
using G3.Cli;
using G3.Evaluation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace G3.Host.Tests;

public sealed class EvalTests(ServiceFixture service) : IClassFixture<ServiceFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("g3-eval").FullName;
    private int _lmmRequests;

    private async Task<WebApplication> StartLmmStubAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", async (HttpContext ctx) =>
        {
            Interlocked.Increment(ref _lmmRequests);
            using var body = await JsonDocument.ParseAsync(ctx.Request.Body);
            var n = body.RootElement.TryGetProperty("n", out var nEl) ? nEl.GetInt32() : 1;
            var choices = Enumerable.Range(0, n).Select(i => new { index = i, message = new { role = "assistant", content = "{\"latitude\": 48.85, \"longitude\": 2.35}" }, finish_reason = "stop" });
            return Results.Json(new { id = "x", @object = "chat.completion", created = 1, model = "stub", choices });
        });
        await app.StartAsync();
        return app;
    }

    /// <param name="concurrency">Pairs in flight. Sharing answers across configurations is exact only at 1: two
    /// configurations asking the same prompt at the same moment both miss the cache and both call the LMM.</param>
    private string WriteExperiment(int concurrency = 2)
    {
        var experiment = new
        {
            name = "test-ablation",
            dataset = EvalCliRun.Dataset,
            concurrency,
            defaults = new { provider = "stub", g3 = new { reference_counts = new[] { 0, 2 }, samples_per_prompt = 2 } },
            configurations = new object[]
            {
                new { name = "full", g3 = new { reference_counts = new[] { 0, 2 }, samples_per_prompt = 2, retrieved_candidates = 5 } },
                new { name = "s3", g3 = new { reference_counts = new[] { 0, 2 }, samples_per_prompt = 2, retrieved_candidates = 3 } },
                new { name = "medoid", selector = "medoid" },
                new { name = "retrieval-only", provider = "none" },
            },
        };
        return EvalCliRun.WriteExperiment(_dir, experiment);
    }

    private Task<(int Exit, string Out, string Err)> Eval(string experiment, int port, params string[] extra) =>
        EvalCliRun.RunAsync(service, _dir, experiment, port, "stub", extra);

    [Fact]
    public async Task Runs_every_configuration_shares_LMM_answers_and_a_rerun_costs_nothing()
    {
        await using var stub = await StartLmmStubAsync();
        var port = new Uri(stub.Urls.First()).Port;
        var experiment = WriteExperiment(concurrency: 1);

        var (exit, output, error) = await Eval(experiment, port);
        Assert.True(exit == 0, error + output);
        var lines = File.ReadAllLines(Path.Combine(_dir, "run", "results.jsonl"));
        Assert.Equal(16, lines.Length); // 4 images × 4 configurations
        // "full" and "s3" differ only in S: the prompts are the same, so "s3" and "medoid" reuse "full"'s answers.
        // 4 images × 2 prompts = 8 calls (n = 2 per call). One pair at a time, so no two configurations race for the same answer.
        Assert.Equal(8, _lmmRequests);
        // The 4 images went to the model together in one batched run, before the per-image pipelines.
        Assert.Contains("4 images encoded (4 in 1 batched model runs)", output, StringComparison.Ordinal);
        Assert.Contains("| full |", output, StringComparison.Ordinal);
        Assert.Contains("| retrieval-only |", output, StringComparison.Ordinal);
        foreach (var f in new[] { "report.md", "report.csv", "report.json", "accuracy.svg" })
            Assert.True(File.Exists(Path.Combine(_dir, "run", f)), f);

        var before = _lmmRequests;
        var (again, output2, _) = await Eval(experiment, port);
        Assert.Equal(0, again);
        Assert.Equal(before, _lmmRequests);
        Assert.Contains("0 evaluated, 16 already", output2, StringComparison.Ordinal);
        Assert.Contains("0 images encoded", output2, StringComparison.Ordinal);
        Assert.Equal(16, File.ReadAllLines(Path.Combine(_dir, "run", "results.jsonl")).Length);
    }

    [Fact]
    public async Task A_run_killed_mid_line_resumes_without_duplicates_or_losses()
    {
        await using var stub = await StartLmmStubAsync();
        var port = new Uri(stub.Urls.First()).Port;
        var experiment = WriteExperiment();
        await Eval(experiment, port, "--limit", "2");
        var results = Path.Combine(_dir, "run", "results.jsonl");
        var text = File.ReadAllText(results);
        File.WriteAllText(results, text + text.Split('\n')[0][..40]); // a torn last line, as a kill mid-write leaves

        var (exit, _, error) = await Eval(experiment, port);
        Assert.True(exit == 0, error);
        var records = ResultsFile.Read(Path.Combine(_dir, "run"));
        Assert.Equal(16, records.Count);
        Assert.Equal(16, records.Select(r => (r.Configuration, r.ImageId)).Distinct().Count());
    }

    [Fact]
    public async Task Reports_re_render_from_the_JSON_lines_alone()
    {
        await using var stub = await StartLmmStubAsync();
        var experiment = WriteExperiment();
        await Eval(experiment, new Uri(stub.Urls.First()).Port, "--limit", "1");
        var run = Path.Combine(_dir, "run");
        File.Delete(Path.Combine(run, "report.md"));
        var calls = _lmmRequests;

        var output = new StringWriter();
        var exit = await G3Cli.Create().Parse(["eval", "--report", run, "--Model:Manifest=/absent/manifest.json"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = new StringWriter() });
        Assert.Equal(0, exit);
        Assert.True(File.Exists(Path.Combine(run, "report.md")));
        Assert.Contains("| medoid |", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(calls, _lmmRequests);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
