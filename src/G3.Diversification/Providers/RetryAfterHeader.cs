using System.Globalization;

namespace G3.Diversification.Providers;

/// <summary>Parses the server's back-off request (RFC 9110 Retry-After, and OpenAI's retry-after-ms).</summary>
internal static class RetryAfterHeader
{
    /// <summary>
    /// <paramref name="retryAfter"/> is delay-seconds or an HTTP-date; <paramref name="retryAfterMs"/> (OpenAI) wins when
    /// present because it is more precise. Dates in the past give zero; unparseable values give null (use our own back-off).
    /// </summary>
    public static TimeSpan? Parse(string? retryAfter, string? retryAfterMs, DateTimeOffset now)
    {
        if (double.TryParse(retryAfterMs, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0 && double.IsFinite(ms))
            return TimeSpan.FromMilliseconds(ms);
        if (string.IsNullOrWhiteSpace(retryAfter))
            return null;
        var value = retryAfter.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return seconds >= 0 && double.IsFinite(seconds) ? TimeSpan.FromSeconds(seconds) : null;
        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            return date > now ? date - now : TimeSpan.Zero;
        return null;
    }
}
