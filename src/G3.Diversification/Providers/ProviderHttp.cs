using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace G3.Diversification.Providers;

/// <summary>
/// The HttpClient each provider SDK is given. Transport faults are handled here, by Microsoft.Extensions.Http.Resilience:
/// a connection that could not be established (nothing was sent, so a POST is safe to repeat) is retried at once, below
/// the provider's own resilience pipeline, so a dropped pooled connection costs neither a back-off nor a retry budget.
/// Everything else (statuses, timeouts, broken responses) is the provider pipeline's business. No HttpClient timeout:
/// the pipeline's per-attempt timeout owns timing.
/// </summary>
internal static class ProviderHttp
{
    public static HttpClient Create(string provider, Uri? baseAddress, TimeProvider time) =>
        Create(provider, baseAddress, time, new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.All,
        });

    /// <summary>The same client over another innermost handler (tests stand in for the network there).</summary>
    internal static HttpClient Create(string provider, Uri? baseAddress, TimeProvider time, HttpMessageHandler sockets)
    {
        var transport = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 2,
                BackoffType = DelayBackoffType.Constant,
                Delay = TimeSpan.FromMilliseconds(20),
                UseJitter = false,
                ShouldRetryAfterHeader = false,
                ShouldHandle = static args => ValueTask.FromResult(
                    args.Outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }),
            })
            .Build();
        var handler = new ResilienceHandler(transport) { InnerHandler = new ProviderHttpErrorHandler(provider, time) { InnerHandler = sockets } };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }
}
