using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace G3.Diversification.Providers;

/// <summary>
/// An OpenAI-compatible chat-completions server (OpenAI, Azure OpenAI v1, vLLM, LM Studio, llama.cpp, Ollama's /v1)
/// through the official OpenAI SDK, as an <see cref="IChatClient"/>. One call asks for
/// <see cref="ChatConventions.ChoiceCount"/> choices via <c>n</c> when the server supports it and returns one
/// assistant message per choice that came back (fewer than asked is not an error; the caller compares counts).
/// The SDK's own retries and network timeout are switched off: the resilience decorators own both.
/// </summary>
public sealed class OpenAILmmChatClient : IChatClient
{
    private static readonly Uri s_openAIEndpoint = new("https://api.openai.com/v1");
    private readonly string _name;
    private readonly LmmProviderOptions _options;
    private readonly ChatClient _chat;
    private readonly ChatClientMetadata _metadata;
    private readonly TimeProvider _time;

    public OpenAILmmChatClient(string name, LmmProviderOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (options.Kind != LmmProviderKinds.OpenAI)
            throw new ArgumentException($"Provider '{name}' has kind '{options.Kind}', not '{LmmProviderKinds.OpenAI}'.", nameof(options));
        _name = name;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        var endpoint = options.Endpoint ?? s_openAIEndpoint;
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };
        // Local servers need no key, but the SDK insists on a credential; any placeholder is sent and ignored there.
        var key = string.IsNullOrWhiteSpace(options.ApiKey) ? "no-key" : options.ApiKey;
        _chat = new ChatClient(options.Model, new ApiKeyCredential(key), clientOptions);
        _metadata = new ChatClientMetadata(LmmProviderKinds.OpenAI, endpoint, options.Model);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var requested = ChatOptionsReader.ChoiceCount(options);
        var sdkMessages = OpenAIMessageMapper.ToSdk(messages, _options.ImageDetail);
        var request = BuildRequest(options, requested);
        try
        {
            ClientResult<ChatCompletion> result = await _chat.CompleteChatAsync(sdkMessages, request, cancellationToken);
            return OpenAIResponseReader.Read(_name, result.GetRawResponse().Content, requested);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not LmmProviderException && e is not ArgumentException)
        {
            throw Map(e);
        }
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        BufferedStreaming.Stream(ct => GetResponseAsync(messages, options, ct), cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceType == typeof(ChatClient) ? _chat
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        // The SDK's pipeline shares its HttpClient process-wide; nothing of ours to release.
    }

    private ChatCompletionOptions BuildRequest(ChatOptions? options, int requested)
    {
        var request = new ChatCompletionOptions
        {
            Temperature = options?.Temperature,
            TopP = options?.TopP,
            FrequencyPenalty = options?.FrequencyPenalty,
            PresencePenalty = options?.PresencePenalty,
        };
        if (options?.StopSequences is { Count: > 0 } stops)
            foreach (var stop in stops)
                request.StopSequences.Add(stop);

        var maxTokens = options?.MaxOutputTokens ?? _options.MaxTokens;
        if (_options.TokenLimitField == "max_completion_tokens")
            request.MaxOutputTokenCount = maxTokens;
        else
            OpenAIRequestFields.SetLegacyMaxTokens(request, maxTokens);

        if (requested > 1 && _options.SupportsN)
            OpenAIRequestFields.SetChoiceCount(request, Math.Min(requested, LmmProviderOptions.MaxChoicesPerCall));
        if (options?.Seed is { } seed)
            OpenAIRequestFields.SetSeed(request, seed);
        return request;
    }

    private LmmProviderException Map(Exception e)
    {
        switch (e)
        {
            case ClientResultException { Status: > 0 } http:
                var raw = http.GetRawResponse();
                string? retryAfter = null, retryAfterMs = null;
                raw?.Headers.TryGetValue("Retry-After", out retryAfter);
                raw?.Headers.TryGetValue("retry-after-ms", out retryAfterMs);
                BinaryData? body = null;
                try
                {
                    body = raw?.Content;
                }
                catch (InvalidOperationException)
                {
                    // Content not buffered: the status alone still classifies the failure.
                }
                return LmmProviderException.FromStatus(
                    _name, http.Status, OpenAIResponseReader.ErrorMessage(body) ?? http.Message,
                    RetryAfterHeader.Parse(retryAfter, retryAfterMs, _time.GetUtcNow()), http);
            case ClientResultException or HttpRequestException or IOException or OperationCanceledException or TimeoutException:
                return LmmProviderException.Unreachable(_name, e);
            default:
                // The SDK failed to read a 2xx body (not JSON, wrong shape).
                return LmmProviderException.Malformed(_name, e.Message, e);
        }
    }
}
