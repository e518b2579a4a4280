using G3.Diversification.Providers;
using G3.Retrieval.Qdrant;

namespace G3.Host.Apis;

/// <summary>
/// Which failures mean "a server could not be reached" (waiting may cure them), and which server: the one place that
/// knows each server kind's exception. The start-up waits such failures out, the API answers them 503 with Retry-After;
/// every other failure is final (a missing model, invalid settings, a collection of the wrong dimension). The
/// Redis-protocol cache server has no arm: it is optional, and its failures never leave the cache
/// (Diversification/Caching/DegradingDistributedCache.cs).
/// </summary>
internal static class ServerOutage
{
    /// <summary>The server <paramref name="e"/> could not reach, and when it may be tried again if known; null when <paramref name="e"/> is no outage.</summary>
    public static (string Server, TimeSpan? RetryAfter)? Of(Exception e) => e switch
    {
        QdrantUnavailableException q => (q.Server, q.RetryAfter),
        LmmProviderException { IsTransient: true } l => ($"LMM provider '{l.Provider}'", l.RetryAfter),
        AggregateException { InnerExceptions.Count: 1 } a => Of(a.InnerExceptions[0]),
        _ => null,
    };
}
