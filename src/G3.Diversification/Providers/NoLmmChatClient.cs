using Microsoft.Extensions.AI;

namespace G3.Diversification.Providers;

/// <summary>
/// The client of a "none" provider. The pipeline checks <see cref="LmmProviderInfo.Kind"/> and never calls it; if
/// something does, the error says so instead of a null reference.
/// </summary>
internal sealed class NoLmmChatClient(string name) : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new LmmProviderException(name, $"Provider '{name}' is of kind 'none': there is no LMM to call; the pipeline should use retrieval candidates only.", statusCode: null, isTransient: false);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        BufferedStreaming.Stream(ct => GetResponseAsync(messages, options, ct), cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata(LmmProviderKinds.None)
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
