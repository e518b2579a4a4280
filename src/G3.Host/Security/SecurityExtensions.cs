using System.Globalization;
using System.Text;
using System.Threading.RateLimiting;
using G3.Host.Apis;

namespace G3.Host.Security;

/// <summary>API keys and per-key rate limits, wired in one place.</summary>
internal static class SecurityExtensions
{
    public static void AddG3Security(this WebApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection(RateLimitSettings.SectionName).Get<RateLimitSettings>() ?? new RateLimitSettings();
        if (limits.PermitsPerMinute <= 0) return;
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (!context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
                    return RateLimitPartition.GetNoLimiter("unlimited");
                var partition = context.Items[ApiKeyMiddleware.KeyItem] as string
                    ?? "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
                return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, limits.Burst),
                    TokensPerPeriod = Math.Max(1, limits.PermitsPerMinute / 60 > 0 ? limits.PermitsPerMinute / 60 : 1),
                    ReplenishmentPeriod = limits.PermitsPerMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60.0 / limits.PermitsPerMinute),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            options.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await ApiErrors.Create(StatusCodes.Status429TooManyRequests, "rate limit exceeded; retry after the time in the Retry-After header",
                    "rate_limit_error", code: "rate_limit_exceeded").ExecuteAsync(context.HttpContext);
            };
        });
    }

    /// <summary>Keys first (so limits are per key), then the limiter. Refuses to start open to the network without keys.</summary>
    public static void UseG3Security(this WebApplication app)
    {
        var settings = app.Configuration.GetSection(SecuritySettings.SectionName).Get<SecuritySettings>() ?? new SecuritySettings();
        var keys = (settings.ApiKeys ?? []).Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => Encoding.UTF8.GetBytes(k.Trim())).ToList();
        if (settings.KeysRequired(app.Configuration["urls"]))
        {
            if (keys.Count == 0)
                throw new InvalidOperationException(
                    "the service listens beyond loopback but no API key is configured: set G3_Security__ApiKeys__0=<key> " +
                    "(or Security:RequireApiKey=false to serve without keys, e.g. behind your own gateway)");
            app.UseMiddleware<ApiKeyMiddleware>((IReadOnlyList<byte[]>)keys);
        }
        if ((app.Configuration.GetSection(RateLimitSettings.SectionName).Get<RateLimitSettings>() ?? new RateLimitSettings()).PermitsPerMinute > 0)
            app.UseRateLimiter();
    }
}
