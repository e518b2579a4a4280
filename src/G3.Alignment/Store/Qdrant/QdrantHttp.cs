using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Polly;

namespace G3.Alignment.Store.Qdrant;

/// <summary>
/// Sends one Qdrant REST call through the resilience pipeline and turns every way it can fail
/// into a typed <see cref="QdrantStoreException"/> whose message says what to check. The
/// caller's cancellation is never retried nor wrapped: it surfaces as OperationCanceledException.
/// </summary>
internal sealed class QdrantHttp
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private readonly QdrantStoreOptions _options;
    private readonly Uri _baseUri;
    private readonly ResiliencePipeline<QdrantHttpResult> _pipeline;

    public QdrantHttp(HttpClient http, QdrantStoreOptions options, TimeProvider? timeProvider)
    {
        _http = http;
        _options = options;
        _baseUri = options.BaseUri;
        _pipeline = QdrantResilience.Build(options, timeProvider);
    }

    /// <summary>
    /// Sends <paramref name="body"/> (JSON bytes, or none) to <paramref name="path"/> (relative to the base URL).
    /// Returns 2xx answers and the statuses in <paramref name="accept"/>; throws for anything else.
    /// </summary>
    public async Task<QdrantHttpResult> SendAsync(HttpMethod method, string path, byte[]? body, string operation,
        CancellationToken cancellationToken, HttpStatusCode? accept = null)
    {
        var uri = new Uri(_baseUri, path);
        var attempts = 0;
        QdrantHttpResult result;
        try
        {
            result = await _pipeline.ExecuteAsync(async token =>
            {
                Interlocked.Increment(ref attempts);
                return await SendOnceAsync(method, uri, body, token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (QdrantResilience.IsTransient(e))
        {
            var cause = e is Polly.Timeout.TimeoutRejectedException
                ? string.Create(CultureInfo.InvariantCulture, $"no answer within {_options.RequestTimeout.TotalSeconds:0.###} s")
                : e.Message;
            throw new QdrantUnavailableException(
                $"Qdrant at {_baseUri} is unavailable: {operation} failed after {Attempts(attempts)} ({cause}). " +
                $"Check that the server is running and reachable at {QdrantStoreOptions.SectionName}:Url.",
                attempts, null, e);
        }

        if (result.IsSuccess || result.Status == accept) return result;
        var status = (int)result.Status;
        var detail = ErrorDetail(result.Body);
        if (QdrantResilience.IsTransient(result.Status))
            throw new QdrantUnavailableException(
                $"Qdrant at {_baseUri} is unavailable: {operation} answered {status} {result.Status} after {Attempts(attempts)}{detail}. " +
                "The server is overloaded or restarting; try again later.",
                attempts, result.Status, null);
        if (result.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new QdrantStoreException(
                $"Qdrant at {_baseUri} refused {operation} with {status} {result.Status}{detail}. " +
                $"Set the server's API key in {QdrantStoreOptions.SectionName}:ApiKey (environment variable G3_Store__Qdrant__ApiKey).",
                result.Status);
        throw new QdrantStoreException(
            $"Qdrant rejected {operation} with {status} {result.Status}{detail}.", result.Status);
    }

    private async Task<QdrantHttpResult> SendOnceAsync(HttpMethod method, Uri uri, byte[]? body, CancellationToken token)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (_options.ApiKey is { } key) request.Headers.TryAddWithoutValidation("api-key", key);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            // A fresh content per attempt: a sent HttpContent cannot be sent again.
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = Json;
        }
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
            return new QdrantHttpResult(response.StatusCode, bytes, RetryAfter(response));
        }
        catch (OperationCanceledException e) when (!token.IsCancellationRequested)
        {
            // HttpClient.Timeout fired (the injected client's own limit): as transient as ours.
            throw new HttpRequestException("the HTTP client's own timeout elapsed", e);
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    private static string Attempts(int n) => n == 1 ? "1 attempt" : string.Create(CultureInfo.InvariantCulture, $"{n} attempts");

    /// <summary>Qdrant's own explanation (<c>status.error</c>), else the start of the body.</summary>
    private static string ErrorDetail(byte[] body)
    {
        if (body.Length == 0) return "";
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Object
                && s.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String)
                return ": " + e.GetString();
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page): show its start below.
        }
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200)).ReplaceLineEndings(" ").Trim();
        return text.Length == 0 ? "" : ": " + text;
    }
}
