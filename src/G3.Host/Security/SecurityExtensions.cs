using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using G3.Host.Composition;
using G3.Host.Contracts;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace G3.Host.Security;

/// <summary>
/// API keys (an authentication scheme plus an authorization policy), per-key rate limits (a named
/// policy) and CORS, all ASP.NET Core's own machinery, attached to the /v1 endpoints by the API
/// (Apis/V1Apis.cs).
/// </summary>
internal static class SecurityExtensions
{
    public static void AddG3Security(this WebApplicationBuilder builder)
    {
        // Bound now, through the same checked options as everywhere (the gate must refuse before the server binds).
        var settings = G3Settings.Load<SecuritySettings>(builder.Configuration);
        var limits = G3Settings.Load<RateLimitSettings>(builder.Configuration);
        // Refuses to build open to the network without a key (from urls, http_ports and Kestrel:Endpoints).
        var gate = new ApiKeyGate(settings, ListenAddresses.FromConfiguration(builder.Configuration));
        builder.Services.AddSingleton(gate);
        builder.Services.AddSingleton(new FailedKeyLimiter(limits.FailedKeyAttemptsPerMinute));

        builder.Services.AddAuthentication(ApiKeyDefaults.Scheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, null);
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, ApiKeyRequirementHandler>();
        builder.Services.AddAuthorizationBuilder().AddPolicy(ApiKeyDefaults.Policy, p => p
            .AddAuthenticationSchemes(ApiKeyDefaults.Scheme)
            .AddRequirements(new ApiKeyRequirement()));

        var origins = (settings.CorsOrigins ?? []).Where(o => !string.IsNullOrWhiteSpace(o)).Select(o => o.Trim().TrimEnd('/')).ToArray();
        builder.Services.AddSingleton<CrossOriginGuard>();
        builder.Services.AddSingleton<IReadOnlySet<string>>(new HashSet<string>(origins, StringComparer.OrdinalIgnoreCase));
        builder.Services.AddCors(o =>
        {
            // No policy at all by default: browsers get no CORS headers, so other sites' pages cannot read answers.
            if (origins.Length > 0)
                o.AddDefaultPolicy(p => p.WithOrigins(origins).WithMethods("GET", "POST").WithHeaders("Authorization", "Content-Type"));
        });
        builder.Services.AddRateLimiter(options =>
        {
            options.AddPolicy(ApiKeyDefaults.Policy, context => Partition(context, limits));
            options.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await ApiErrors.Create(StatusCodes.Status429TooManyRequests, "rate limit exceeded; retry after the time in the Retry-After header",
                    "rate_limit_error", code: "rate_limit_exceeded").ExecuteAsync(context.HttpContext);
            };
        });
    }

    /// <summary>Per key when one was presented, else per client address; no limit when PermitsPerMinute is 0.</summary>
    private static RateLimitPartition<string> Partition(HttpContext context, RateLimitSettings limits)
    {
        if (limits.PermitsPerMinute <= 0) return RateLimitPartition.GetNoLimiter("unlimited");
        var partition = context.User.FindFirstValue(ApiKeyDefaults.KeyIdClaim) is { } keyId ? "key:" + keyId : "ip:" + ApiKeyAuthenticationHandler.ClientOf(context);
        return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, limits.Burst),
            TokensPerPeriod = Math.Max(1, limits.PermitsPerMinute / 60),
            ReplenishmentPeriod = limits.PermitsPerMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60.0 / limits.PermitsPerMinute),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>
    /// Routing, CORS, authentication, authorization and rate limiting, in that order (limits are per
    /// key, so they come after authentication). Once the server has bound its addresses, the "auto"
    /// key rule is decided from them; beyond loopback without a key, the service stops.
    /// </summary>
    public static void UseG3Security(this WebApplication app)
    {
        app.UseRouting();
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.Lifetime.ApplicationStarted.Register(() => DecideFromBoundAddresses(app));
    }

    private static void DecideFromBoundAddresses(WebApplication app)
    {
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var gate = app.Services.GetRequiredService<ApiKeyGate>();
        if (gate.DecideFromBoundAddresses(bound, ListenAddresses.FromConfiguration(app.Configuration)))
            return;
        app.Logger.LogCritical("Stopping: bound to {Addresses}, beyond loopback, with no API key. {Message}", string.Join(", ", bound), ApiKeyGate.MissingKeyMessage);
        app.Lifetime.StopApplication();
    }
}
