using System.ClientModel;
using System.Text.Json;
using G3.Diversification.Providers;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Middleware;

/// <summary>
/// The innermost piece of every provider pipeline: whatever the SDK threw becomes an <see cref="LmmProviderException"/>
/// (so the resilience pipeline classifies every provider in one way), an empty answer is a transient failure, and the
/// response is stamped with the provider and model that answered (the fallback chain and the response cache read them).
/// HTTP statuses already arrive as <see cref="LmmProviderException"/> from <see cref="ProviderHttpErrorHandler"/>.
/// </summary>
internal sealed class ProviderErrorChatClient(IChatClient inner, string provider, string model) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(messages, options, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (ArgumentOutOfRangeException e)
        {
            // The SDK indexes into the completion's choices while reading it: a 200 with an empty (or cut) choices array.
            throw new LmmProviderException(provider, $"LMM provider '{provider}' answered with no choices", statusCode: null, isTransient: true, retryAfter: null, e);
        }
        catch (Exception e) when (e is not LmmProviderException and not ArgumentException)
        {
            throw Map(e);
        }
        if (!response.Messages.Any(m => m.Role == ChatRole.Assistant))
            throw new LmmProviderException(provider, $"LMM provider '{provider}' answered with no choices", statusCode: null, isTransient: true);
        var properties = response.AdditionalProperties ??= [];
        properties[LmmResponseProperties.Provider] = provider;
        properties[LmmResponseProperties.Model] = model;
        return response;
    }

    private LmmProviderException Map(Exception e) => e switch
    {
        ClientResultException { Status: > 0 } http => LmmProviderException.FromStatus(provider, http.Status, http.Message, retryAfter: null, http),
        // No complete response: connection refused or reset, a body cut short, the SDK's own network timeout.
        ClientResultException or HttpRequestException or IOException or OperationCanceledException or TimeoutException =>
            LmmProviderException.Unreachable(provider, e),
        // A 2xx whose body is not the protocol's JSON (garbage, truncated): the SDK failed to read it.
        JsonException or FormatException or InvalidOperationException or KeyNotFoundException or NullReferenceException =>
            LmmProviderException.Malformed(provider, e.Message, e),
        _ => LmmProviderException.Malformed(provider, $"{e.GetType().Name}: {e.Message}", e),
    };
}
