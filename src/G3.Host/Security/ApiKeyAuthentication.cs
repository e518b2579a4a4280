using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using G3.Host.Contracts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace G3.Host.Security;

/// <summary>Names shared by the API-key scheme, its policy and the rate limiter.</summary>
public static class ApiKeyDefaults
{
    public const string Scheme = "ApiKey";
    public const string Policy = "g3-api";
    public const string KeyIdClaim = "g3:key_id";
}

/// <summary>
/// Authenticates "Authorization: Bearer KEY" against the configured keys. It only identifies the
/// caller; whether /v1 needs a key at all is the <see cref="ApiKeyRequirement"/>'s call, made on the
/// endpoints themselves, so every path spelling that routes to them is covered. Wrong keys count
/// against the client address's <see cref="FailedKeyLimiter"/>.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyGate gate, FailedKeyLimiter failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string OutcomeItem = "g3.auth_outcome";

    private enum Outcome { Missing, Invalid, LockedOut }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!gate.HasKeys || !gate.KeysRequired) return Task.FromResult(AuthenticateResult.NoResult());
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            Context.Items[OutcomeItem] = Outcome.Missing;
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var client = ClientOf(Context);
        if (failures.IsLockedOut(client))
        {
            Context.Items[OutcomeItem] = Outcome.LockedOut;
            return Task.FromResult(AuthenticateResult.Fail("too many wrong API keys from this client"));
        }
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        if (presented.Length > 0 && gate.TryMatch(presented, out var keyId))
        {
            var identity = new ClaimsIdentity([new Claim(ApiKeyDefaults.KeyIdClaim, keyId)], ApiKeyDefaults.Scheme);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiKeyDefaults.Scheme)));
        }
        failures.RecordFailure(client);
        Context.Items[OutcomeItem] = Outcome.Invalid;
        Logger.LogWarning("Wrong API key from {Client} on {Method} {Path}", client, Request.Method, Request.Path);
        return Task.FromResult(AuthenticateResult.Fail("invalid API key"));
    }

    /// <summary>401 in OpenAI's error shape (429 with Retry-After once the client has guessed too often).</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync();
        var outcome = Context.Items[OutcomeItem] as Outcome? ?? Outcome.Missing;
        IResult result;
        if (outcome == Outcome.LockedOut)
        {
            Response.Headers.RetryAfter = Math.Max(1, (int)failures.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            result = ApiErrors.Create(StatusCodes.Status429TooManyRequests, "too many wrong API keys from this client; retry after the time in the Retry-After header",
                "rate_limit_error", code: "too_many_failed_keys");
        }
        else
        {
            result = outcome == Outcome.Invalid
                ? ApiErrors.Create(StatusCodes.Status401Unauthorized, "invalid API key", "invalid_request_error", code: "invalid_api_key")
                : ApiErrors.Create(StatusCodes.Status401Unauthorized, "missing API key: send 'Authorization: Bearer YOUR_KEY'", "invalid_request_error", code: "missing_api_key");
        }
        Logger.LogWarning("Refused {Method} {Path} from {Client}: {Outcome}", Request.Method, Request.Path, ClientOf(Context), outcome);
        await result.ExecuteAsync(Context);
    }

    internal static string ClientOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}

/// <summary>/v1 needs an authenticated key whenever <see cref="ApiKeyGate.KeysRequired"/>.</summary>
internal sealed class ApiKeyRequirement : IAuthorizationRequirement;

internal sealed class ApiKeyRequirementHandler(ApiKeyGate gate) : AuthorizationHandler<ApiKeyRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiKeyRequirement requirement)
    {
        if (!gate.KeysRequired || context.User.HasClaim(c => c.Type == ApiKeyDefaults.KeyIdClaim))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
