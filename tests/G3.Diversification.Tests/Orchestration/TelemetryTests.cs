using System.Collections.Concurrent;
using System.Diagnostics;
using G3.Core.Candidates;
using G3.Core.Ports;
using G3.Diversification.Caching;
using G3.Diversification.Generation;
using G3.Diversification.Prompts;
using G3.Diversification.Resilience;
using G3.Diversification.Tests.Stubs;

namespace G3.Diversification.Tests.Orchestration;

/// <summary>
/// One generation leaves a Semantic Kernel function-invocation span (our filter) around a Microsoft.Extensions.AI GenAI
/// span per provider attempt (UseOpenTelemetry): a retried call shows two attempts under one prompt.
/// </summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task A_prompt_span_wraps_one_GenAI_span_per_attempt()
    {
        var model = $"gpt-4o-{Guid.NewGuid():N}"[..16];
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "G3.Diversification" or LmmClientBuilder.TelemetrySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = await StubLmmServer.StartAsync((ctx, r) => r.Number == 1
            ? StubReplies.Error(ctx, 503, "busy")
            : StubReplies.OpenAIChoices(ctx, model, "{\"latitude\": 1, \"longitude\": 2}", "{\"latitude\": 1, \"longitude\": 2}"));
        using var registry = StubProviders.Registry(("gpt4o", StubProviders.OpenAI(server, StubProviders.Fast(retries: 1)) with { Model = model }));
        var generator = new LmmCandidateGenerator(registry.Kernel, registry.Default.Info, PromptTemplates.Default, ResponseCache.Disabled);

        var candidates = await generator.GenerateAsync(
            new GenerationRequest(new QueryImage(TestImages.RedSquareJpeg), new PromptVariant(0, 0), [], [], 0, 2, null, PlaceGranularity.None), default);

        Assert.All(candidates, c => Assert.True(c.IsValid));
        var prompt = Assert.Single(spans, s => s.OperationName == "g3.prompt zero_shot" && (string?)s.GetTagItem("g3.provider") == "gpt4o");
        var attempts = spans.Where(s => s.Source.Name == LmmClientBuilder.TelemetrySourceName && (string?)s.GetTagItem("gen_ai.request.model") == model).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a =>
        {
            Assert.Equal("chat", a.GetTagItem("gen_ai.operation.name"));
            Assert.Equal(prompt.TraceId, a.TraceId);
        });
    }
}
