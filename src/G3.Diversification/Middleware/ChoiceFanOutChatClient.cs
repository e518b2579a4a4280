using G3.Diversification.Providers;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Middleware;

/// <summary>
/// For providers that answer one choice per call (Ollama, servers without <c>n</c>): a request for n choices becomes n
/// calls in flight together, merged into one response with one assistant message per choice. The generator already
/// calls such providers once per sample; this matters when one is a fallback for a provider that takes <c>n</c>, so the
/// fallback still returns every sample the request asked for.
/// </summary>
public sealed class ChoiceFanOutChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var n = OpenAIChoicesChatClient.ChoiceCount(options);
        if (n <= 1)
            return await base.GetResponseAsync(messages, options, cancellationToken);

        var single = options!.Clone();
        single.AdditionalProperties![ChatConventions.ChoiceCount] = 1;
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var responses = await Task.WhenAll(Enumerable.Range(0, n).Select(_ => base.GetResponseAsync(list, single, cancellationToken)));
        var merged = new ChatResponse([.. responses.SelectMany(r => r.Messages.Where(m => m.Role == ChatRole.Assistant).Take(1))])
        {
            ModelId = responses[0].ModelId,
            CreatedAt = responses[0].CreatedAt,
            FinishReason = responses[0].FinishReason,
            AdditionalProperties = responses[0].AdditionalProperties is { } p ? new(p) : [],
            Usage = Sum(responses),
        };
        merged.AdditionalProperties[LmmResponseProperties.RequestedChoices] = n;
        return merged;
    }

    private static UsageDetails? Sum(ChatResponse[] responses)
    {
        UsageDetails? total = null;
        foreach (var usage in responses.Select(r => r.Usage).OfType<UsageDetails>())
            (total ??= new UsageDetails()).Add(usage);
        return total;
    }
}
