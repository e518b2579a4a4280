using G3.Diversification.Providers;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Resilience;

/// <summary>
/// Base of our decorators: streaming goes through the same (non-streaming) path so every concern applies to it
/// (see <see cref="BufferedStreaming"/>).
/// </summary>
public abstract class ResilienceDecorator(IChatClient innerClient) : DelegatingChatClient(innerClient)
{
    /// <summary>Runs the inner client's call through a Polly pipeline (retry, hedging): the one place that plumbing lives.</summary>
    protected async Task<ChatResponse> ExecuteThrough(Polly.ResiliencePipeline<ChatResponse> pipeline, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
        await pipeline.ExecuteAsync(
            static async (state, ct) => await state.Self.InnerAsync(state.messages, state.options, ct),
            (Self: this, messages, options),
            cancellationToken);

    /// <summary>The same, for a pipeline that is not typed by its result (e.g. a plain timeout).</summary>
    protected async Task<ChatResponse> ExecuteThrough(Polly.ResiliencePipeline pipeline, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
        await pipeline.ExecuteAsync(
            static async (state, ct) => await state.Self.InnerAsync(state.messages, state.options, ct),
            (Self: this, messages, options),
            cancellationToken);

    private Task<ChatResponse> InnerAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
        base.GetResponseAsync(messages, options, cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        BufferedStreaming.Stream(ct => GetResponseAsync(messages, options, ct), cancellationToken);
}
