using StackExchange.Redis;

namespace G3.Host.Composition;

/// <summary>The Redis-protocol cache server's client settings: one place that reads ConnectionStrings:Cache.</summary>
internal static class CacheServers
{
    /// <summary>Why <paramref name="connectionString"/> cannot name a cache server; null when it can.</summary>
    public static string? Problem(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            return "Cache:Distributed:Kind redis needs ConnectionStrings:Cache (set the environment variable ConnectionStrings__Cache, e.g. cache:6379).";
        try
        {
            return ConfigurationOptions.Parse(connectionString).EndPoints.Count == 0
                ? "ConnectionStrings:Cache names no server (expected host:port, e.g. cache:6379)."
                : null;
        }
        catch (ArgumentException e)
        {
            return $"ConnectionStrings:Cache is not a Redis connection string: {e.Message}";
        }
    }

    /// <summary>
    /// The client's settings: a server that is down at start does not stop the service (AbortOnConnectFail off), a command
    /// fails after <paramref name="timeout"/> instead of the default five seconds, and while disconnected commands fail at
    /// once rather than queue (the caller degrades to L1 or a fresh call); the client reconnects in the background.
    /// </summary>
    public static ConfigurationOptions Options(string connectionString, TimeSpan timeout)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        var ms = (int)Math.Ceiling(timeout.TotalMilliseconds);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = Math.Max(ms, 1000);
        options.SyncTimeout = ms;
        options.AsyncTimeout = ms;
        options.ConnectRetry = 1;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new LinearRetry(500);
        return options;
    }

    /// <summary>The servers, for logs and /readyz (never the password).</summary>
    public static string Describe(ConfigurationOptions options) => "redis " + string.Join(",", options.EndPoints.Select(e => e switch
    {
        System.Net.DnsEndPoint d => $"{d.Host}:{d.Port}",
        _ => e.ToString(),
    }));
}
