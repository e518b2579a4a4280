using System.Diagnostics;
using G3.Diversification.Providers;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Resilience;

/// <summary>Counts and times every attempt that reaches the raw client (one per HTTP call, retries and hedges included).</summary>
public sealed class MeteredChatClient(IChatClient innerClient, string provider, LmmTelemetry telemetry) : ResilienceDecorator(innerClient)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
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
