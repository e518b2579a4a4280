using G3.Diversification.Providers;
using Microsoft.Extensions.AI;
using Polly;
using Polly.Timeout;

namespace G3.Diversification.Resilience;

/// <summary>
/// Bounds one attempt. A timed-out attempt is cancelled and surfaces as a transient
/// <see cref="LmmProviderException"/> (no status), which the retry layer treats like a 503.
/// </summary>
public sealed class TimeoutChatClient : ResilienceDecorator
{
    private readonly string _provider;
    private readonly TimeSpan _timeout;
    private readonly ResiliencePipeline _pipeline;

    public TimeoutChatClient(IChatClient innerClient, string provider, TimeSpan timeout, TimeProvider? timeProvider = null)
        : base(innerClient)
    {
        _provider = provider;
        _timeout = timeout;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider ?? TimeProvider.System }.AddTimeout(timeout).Build();
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await ExecuteThrough(_pipeline, messages, options, cancellationToken);
        }
        catch (TimeoutRejectedException e)
        {
            throw new LmmProviderException(_provider, $"LMM provider '{_provider}' did not answer within {_timeout.TotalSeconds:0.###} s", statusCode: null, isTransient: true, retryAfter: null, e);
        }
    }

}
