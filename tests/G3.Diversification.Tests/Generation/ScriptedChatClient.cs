using System.Collections.Concurrent;
using G3.Diversification.Providers;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Tests.Generation;

/// <summary>An in-memory provider: answers with scripted texts and records every request.</summary>
internal sealed class ScriptedChatClient(Func<int, string> answer) : IChatClient
{
    private int _calls;
    public ConcurrentQueue<(IList<ChatMessage> Messages, ChatOptions? Options)> Requests { get; } = new();
    public Func<Exception?>? Fail { get; set; }
    public int Calls => _calls;

    /// <summary>When set, every call waits for it before answering (honouring its cancellation token).</summary>
    public Task? Gate { get; set; }

    /// <summary>Completes when the first call has arrived.</summary>
    public TaskCompletionSource FirstCall { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = Interlocked.Increment(ref _calls);
        Requests.Enqueue((messages.ToList(), options));
        FirstCall.TrySetResult();
        if (Gate is { } gate) await gate.WaitAsync(cancellationToken);
        if (Fail?.Invoke() is { } ex) throw ex;
        var n = LmmCallSettings.Of(options).Choices;
        var choices = Enumerable.Range(0, n).Select(i => new ChatMessage(ChatRole.Assistant, answer((call - 1) * 100 + i))).ToList();
        return new ChatResponse(choices);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose() { }
}

internal sealed record ScriptedProvider(LmmProviderInfo Info, IChatClient Client) : ILmmProvider;
