using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Providers;

/// <summary>
/// Ollama's native <c>POST /api/chat</c> (stream: false) over HttpClient, as an <see cref="IChatClient"/>: images go
/// as base64 (no data-URL prefix), temperature / num_predict / seed as model options, keep_alive as configured.
/// Ollama returns one answer per call, so this client answers ONE choice even when
/// <see cref="ChatConventions.ChoiceCount"/> asks for more (it does not loop: N samples are N calls, which the
/// generator makes itself since <see cref="LmmProviderInfo.MaxSamplesPerCall"/> is 1, each call then getting its own
/// retries, limiter slot and cache entry). The response's <see cref="LmmResponseProperties.RequestedChoices"/> says
/// how many were asked for.
/// </summary>
public sealed class OllamaChatClient : IChatClient
{
    private readonly string _name;
    private readonly LmmProviderOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _chatUri;
    private readonly ChatClientMetadata _metadata;
    private readonly TimeProvider _time;

    /// <param name="httpClient">Shared client to use (not disposed here); null creates one owned by this instance.</param>
    public OllamaChatClient(string name, LmmProviderOptions options, HttpClient? httpClient = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (options.Kind != LmmProviderKinds.Ollama)
            throw new ArgumentException($"Provider '{name}' has kind '{options.Kind}', not '{LmmProviderKinds.Ollama}'.", nameof(options));
        var endpoint = options.Endpoint ?? throw new ArgumentException($"Provider '{name}' (ollama) needs an Endpoint such as http://localhost:11434.", nameof(options));
        _name = name;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _ownsHttp = httpClient is null;
        // The per-call timeout decorator owns timing; HttpClient's own 100 s default would fire with a less clear error.
        _http = httpClient ?? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        _chatUri = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/api/chat");
        _metadata = new ChatClientMetadata(LmmProviderKinds.Ollama, endpoint, options.Model);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var requested = ChatOptionsReader.ChoiceCount(options);
        var request = new OllamaChatRequest(
            options?.ModelId ?? _options.Model,
            ToWire(messages),
            new OllamaModelOptions(options?.Temperature, options?.MaxOutputTokens ?? _options.MaxTokens, options?.Seed, options?.TopP, options?.StopSequences is { Count: > 0 } s ? [.. s] : null),
            _options.KeepAlive);

        OllamaChatResponse? body;
        try
        {
            using var response = await _http.PostAsJsonAsync(_chatUri, request, OllamaJson.Options, cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw await ErrorFrom(response, cancellationToken);
            body = await response.Content.ReadFromJsonAsync<OllamaChatResponse>(OllamaJson.Options, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (JsonException e)
        {
            throw LmmProviderException.Malformed(_name, "the body is not the /api/chat JSON object", e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            throw LmmProviderException.Unreachable(_name, e);
        }

        if (body?.Message is not { } message)
            throw LmmProviderException.Malformed(_name, "no \"message\" in the response");

        var answer = new ChatMessage(ChatRole.Assistant, message.Content) { AdditionalProperties = new() { ["choice_index"] = 0 } };
        if (body.DoneReason is { } reason)
            answer.AdditionalProperties["finish_reason"] = reason;
        return new ChatResponse(answer)
        {
            ModelId = body.Model,
            CreatedAt = body.CreatedAt,
            FinishReason = body.DoneReason switch { "stop" => ChatFinishReason.Stop, "length" => ChatFinishReason.Length, null => null, var r => new ChatFinishReason(r) },
            Usage = body.PromptEvalCount is null && body.EvalCount is null ? null : new UsageDetails
            {
                InputTokenCount = body.PromptEvalCount,
                OutputTokenCount = body.EvalCount,
                TotalTokenCount = (body.PromptEvalCount ?? 0) + (body.EvalCount ?? 0),
            },
            AdditionalProperties = new()
            {
                [LmmResponseProperties.Provider] = _name,
                [LmmResponseProperties.RequestedChoices] = requested,
            },
        };
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        BufferedStreaming.Stream(ct => GetResponseAsync(messages, options, ct), cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        if (_ownsHttp)
            _http.Dispose();
    }

    private static List<OllamaMessage> ToWire(IEnumerable<ChatMessage> messages)
    {
        var wire = new List<OllamaMessage>();
        foreach (var message in messages)
        {
            var role = message.Role == ChatRole.System ? "system"
                : message.Role == ChatRole.User ? "user"
                : message.Role == ChatRole.Assistant ? "assistant"
                : throw new ArgumentException($"Chat role '{message.Role}' is not supported by the LMM providers; use system, user or assistant.", nameof(messages));
            var texts = new List<string>();
            var images = new List<string>();
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent text:
                        texts.Add(text.Text);
                        break;
                    case DataContent data when data.HasTopLevelMediaType("image"):
                        images.Add(Convert.ToBase64String(data.Data.Span));
                        break;
                    case UriContent:
                        throw new ArgumentException("Ollama takes images as bytes (DataContent), not as URLs; download the image first.", nameof(messages));
                    case DataContent other:
                        throw new ArgumentException($"Only image attachments are supported (got a {other.MediaType} attachment).", nameof(messages));
                }
            }
            wire.Add(new OllamaMessage(role, string.Join("\n", texts), images.Count > 0 ? images : null));
        }
        if (wire.Count == 0)
            throw new ArgumentException("At least one chat message is required.", nameof(messages));
        return wire;
    }

    private async Task<LmmProviderException> ErrorFrom(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? text = null;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException)
        {
            // The status is enough to classify the failure.
        }
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date > _time.GetUtcNow() ? date - _time.GetUtcNow() : TimeSpan.Zero,
            _ => (TimeSpan?)null,
        };
        return LmmProviderException.FromStatus(_name, (int)response.StatusCode, ErrorText(text), retryAfter);
    }

    /// <summary>Ollama errors are {"error":"..."}; anything else is shown as it came.</summary>
    private static string? ErrorText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
                ? e.GetString()
                : text;
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
