using G3.Diversification.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Hedging;

namespace G3.Diversification.Resilience;

/// <summary>
/// Polly hedging against tail latency: when an attempt has not answered after <see cref="LmmHedgingOptions.Delay"/>
/// (or failed transiently), another starts; the first success wins and the rest are cancelled. Costs extra calls,
/// so it is off unless configured.
/// </summary>
public sealed class HedgingChatClient : ResilienceDecorator
{
    private readonly ResiliencePipeline<ChatResponse> _pipeline;

    public HedgingChatClient(IChatClient innerClient, string provider, LmmHedgingOptions options, ILogger logger, TimeProvider? timeProvider = null)
        : base(innerClient)
    {
        _pipeline = new ResiliencePipelineBuilder<ChatResponse> { TimeProvider = timeProvider ?? TimeProvider.System }
            .AddHedging(new HedgingStrategyOptions<ChatResponse>
            {
                MaxHedgedAttempts = options.MaxHedgedAttempts,
                Delay = options.Delay,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is LmmProviderException { IsTransient: true }),
                OnHedging = args =>
                {
                    logger.LogInformation("LMM hedging: provider {Provider}, starting attempt {Attempt}", provider, args.AttemptNumber + 1);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ExecuteThrough(_pipeline, messages, options, cancellationToken);
}
