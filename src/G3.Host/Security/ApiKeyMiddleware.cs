using System.Security.Cryptography;
using System.Text;
using G3.Host.Apis;

namespace G3.Host.Security;

/// <summary>Checks "Authorization: Bearer KEY" on /v1 routes when keys are required; 401 in OpenAI's error shape otherwise.</summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, IReadOnlyList<byte[]> keys)
{
    public const string KeyItem = "g3.api_key";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }
        var header = context.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        if (presented.Length == 0)
        {
            await Reject(context, "missing API key: send 'Authorization: Bearer YOUR_KEY'", "missing_api_key");
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(presented);
        // Fixed-time comparison against every key, so timing reveals nothing about them.
        var match = false;
        foreach (var key in keys) match |= CryptographicOperations.FixedTimeEquals(key, bytes);
        if (!match)
        {
            await Reject(context, "invalid API key", "invalid_api_key");
            return;
        }
        context.Items[KeyItem] = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
        await next(context);
    }

    private static Task Reject(HttpContext context, string message, string code) =>
        ApiErrors.Create(StatusCodes.Status401Unauthorized, message, "invalid_request_error", code: code).ExecuteAsync(context);
}
