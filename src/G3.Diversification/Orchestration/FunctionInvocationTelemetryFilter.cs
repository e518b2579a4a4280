using System.Diagnostics;
using Microsoft.SemanticKernel;

namespace G3.Diversification.Orchestration;

/// <summary>
/// Semantic Kernel function-invocation filter: one span per prompt-function invocation ("g3.prompt zero_shot"), tagged
/// with the provider (the execution settings' service id), and its duration and outcome as a metric.
/// </summary>
public sealed class FunctionInvocationTelemetryFilter : IFunctionInvocationFilter
{
    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        var prompt = context.Function.Name;
        var provider = context.Arguments.ExecutionSettings?.Values.FirstOrDefault()?.ServiceId ?? "(default)";
        using var activity = KernelTelemetry.Source.StartActivity($"g3.prompt {prompt}");
        activity?.SetTag("g3.prompt", prompt);
        activity?.SetTag("g3.provider", provider);
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            await next(context);
        }
        catch (OperationCanceledException)
        {
            outcome = "cancelled";
            throw;
        }
        catch (Exception e)
        {
            outcome = "error";
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
        finally
        {
            KernelTelemetry.InvocationDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("prompt", prompt), new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("outcome", outcome));
        }
    }
}
