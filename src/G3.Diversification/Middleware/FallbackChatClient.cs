using System.Diagnostics;
using G3.Diversification.Providers;
using G3.Diversification.Resilience;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace G3.Diversification.Middleware;

/// <summary>
/// A provider chain (e.g. gpt4o → llava): when a provider fails with an <see cref="LmmProviderException"/> (after its
/// retries, or at once while its circuit is open), the next one answers. The response then carries
/// <see cref="LmmResponseProperties.FallbackFrom"/> (the first provider) next to <see cref="LmmResponseProperties.Provider"/>
/// and <see cref="LmmResponseProperties.Model"/> (the one that answered; the response cache keys answers by them) and the
/// answering server's ModelId. Each provider's pipeline pins its own model on the options it receives, so the options
/// pass down the chain unchanged. Bad input (ArgumentException) and the caller's cancellation are not provider failures
/// and end the chain at once. When every provider fails, the error lists them all.
/// </summary>
public sealed class FallbackChatClient : DelegatingChatClient
{
    private readonly IReadOnlyList<(string Name, IChatClient Client)> _chain;
    private readonly LmmTelemetry _telemetry;
    private readonly ILogger _logger;

    /// <param name="chain">The primary first; each client is a provider's own resilient pipeline (no limiter inside).</param>
    public FallbackChatClient(IReadOnlyList<(string Name, IChatClient Client)> chain, LmmTelemetry telemetry, ILogger logger)
        : base(chain.Count > 0 ? chain[0].Client : throw new ArgumentException("A fallback chain needs at least one provider.", nameof(chain)))
    {
        _chain = chain;
        _telemetry = telemetry;
        _logger = logger;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var failures = new List<LmmProviderException>();
        for (var i = 0; i < _chain.Count; i++)
        {
            var (name, client) = _chain[i];
            try
            {
                var response = await client.GetResponseAsync(messages, options, cancellationToken);
                if (i > 0)
                {
                    response.AdditionalProperties ??= [];
                    response.AdditionalProperties[LmmResponseProperties.FallbackFrom] = _chain[0].Name;
                    response.AdditionalProperties.TryAdd(LmmResponseProperties.Provider, name);
                }
                return response;
            }
            catch (LmmProviderException e)
            {
                failures.Add(e);
                if (i + 1 < _chain.Count)
                {
                    var next = _chain[i + 1].Name;
                    _telemetry.Fallbacks.Add(1, new TagList { { "provider", name }, { "to", next } });
                    _logger.LogWarning("LMM fallback: provider {Provider} failed (status {Status}: {Reason}); trying {Next}", name, e.StatusCode, e.Message, next);
                }
            }
        }
        throw AllFailed(failures);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        BufferedStreaming.Stream(ct => GetResponseAsync(messages, options, ct), cancellationToken);

    private LmmProviderException AllFailed(List<LmmProviderException> failures)
    {
        if (failures.Count == 1)
            return failures[0];
        var last = failures[^1];
        var names = string.Join(" → ", _chain.Select(c => c.Name));
        return new LmmProviderException(
            names,
            $"Every LMM provider in the chain {names} failed: " + string.Join("; ", failures.Select(f => f.Message)),
            last.StatusCode,
            failures.TrueForAll(f => f.IsTransient),
            last.RetryAfter,
            new AggregateException(failures));
    }
}
