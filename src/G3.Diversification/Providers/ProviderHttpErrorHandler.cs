using System.Text.Json;

namespace G3.Diversification.Providers;

/// <summary>
/// The HTTP handler under every provider SDK (OpenAI, Azure OpenAI, OllamaSharp): an error status becomes an
/// <see cref="LmmProviderException"/> carrying the status, the server's own message and its Retry-After, in one way for
/// every provider. (The SDKs would each raise their own exception type, and OllamaSharp drops the Retry-After header.)
/// </summary>
internal sealed class ProviderHttpErrorHandler(string provider, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
            return response;
        using (response)
        {
            string? body = null;
            try
            {
                body = await response.Content.ReadAsStringAsync(cancellationToken);
            }
            catch (HttpRequestException)
            {
                // The status alone still classifies the failure.
            }
            var retryAfter = RetryAfterHeader.Parse(Header(response, "Retry-After"), Header(response, "retry-after-ms"), time.GetUtcNow());
            throw LmmProviderException.FromStatus(provider, (int)response.StatusCode, ErrorText(body), retryAfter);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>OpenAI errors are {"error":{"message":...}}, Ollama's {"error":"..."}; anything else is shown as it came.</summary>
    private static string? ErrorText(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
            return null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String)
                    return error.GetString();
                if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                    return m.GetString();
            }
            return body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
