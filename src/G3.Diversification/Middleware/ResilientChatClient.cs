using System.Diagnostics;
using G3.Diversification.Providers;
using G3.Diversification.Resilience;
using Microsoft.Extensions.AI;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace G3.Diversification.Middleware;

/// <summary>
/// Runs every call of one provider through its one Polly pipeline (<see cref="LmmResiliencePipeline"/>), counting and
/// timing each attempt that reaches the provider. The request's <see cref="LmmDeadline"/> travels in the Polly context,
/// so each attempt's timeout is the configured one or the time left, whichever is shorter. What escapes is always an
/// <see cref="LmmProviderException"/> (an open circuit as <see cref="LmmCircuitOpenException"/>, a timed-out last attempt
/// as a transient failure without status). Streaming is buffered so the same pipeline applies to it.
/// </summary>
public sealed class ResilientChatClient(IChatClient inner, string provider, ResiliencePipeline<ChatResponse> pipeline, LmmTelemetry telemetry)
    : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        if (LmmDeadline.Current is { } deadline)
            context.Properties.Set(LmmResiliencePipeline.DeadlineKey, deadline);
        try
        {
            return await pipeline.ExecuteAsync(
                static async (ctx, state) => await state.Self.AttemptAsync(state.list, state.options, ctx.CancellationToken),
                context,
                (Self: this, list, options));
        }
        catch (BrokenCircuitException e)
        {
            throw new LmmCircuitOpenException(provider, e.RetryAfter, e);
        }
        catch (TimeoutRejectedException e)
        {
            throw new LmmProviderException(provider, $"LMM provider '{provider}' did not answer within {e.Timeout.TotalSeconds:0.###} s (its attempt timeout)", statusCode: null, isTransient: true, retryAfter: null, e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        BufferedStreaming.Stream(ct => GetResponseAsync(messages, options, ct), cancellationToken);

    private async Task<ChatResponse> AttemptAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        int? status = null;
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            outcome = "cancelled";
            throw;
        }
        catch (LmmProviderException e)
        {
            outcome = "error";
            status = e.StatusCode;
            throw;
        }
        catch
        {
            outcome = "error";
            throw;
        }
        finally
        {
            var tags = new TagList { { "provider", provider }, { "outcome", outcome } };
            if (status is { } s)
                tags.Add("http.status", s);
            telemetry.Calls.Add(1, tags);
            telemetry.CallDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }
}
