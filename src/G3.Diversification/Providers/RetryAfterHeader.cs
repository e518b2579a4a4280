using System.Globalization;

namespace G3.Diversification.Providers;

/// <summary>Parses the server's back-off request (RFC 9110 Retry-After, and OpenAI's retry-after-ms).</summary>
internal static class RetryAfterHeader
{
    /// <summary>
    /// Longest back-off a header can ask for. Longer values (up to "1e308" seconds) are clamped here, so no value can
    /// overflow <see cref="TimeSpan"/>; the retry strategy then caps the wait at its own MaxRetryAfter anyway.
    /// </summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    /// <summary>
    /// <paramref name="retryAfter"/> is delay-seconds or an HTTP-date; <paramref name="retryAfterMs"/> (OpenAI) wins when
    /// it parses because it is more precise. Huge values give <see cref="Longest"/>, dates in the past give zero, and
    /// negative, non-finite or unparseable values give null (use our own back-off). Never throws.
    /// </summary>
    public static TimeSpan? Parse(string? retryAfter, string? retryAfterMs, DateTimeOffset now)
    {
        if (Milliseconds(retryAfterMs) is { } ms)
            return ms >= Longest.TotalMilliseconds ? Longest : TimeSpan.FromMilliseconds(ms);
        if (string.IsNullOrWhiteSpace(retryAfter))
            return null;
        var value = retryAfter.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return seconds >= 0 && double.IsFinite(seconds) ? Clamp(seconds) : null;
        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            return date > now ? Clamp((date - now).TotalSeconds) : TimeSpan.Zero;
        return null;
    }

    private static double? Milliseconds(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0 && double.IsFinite(ms) ? ms : null;

    private static TimeSpan Clamp(double seconds) => seconds >= Longest.TotalSeconds ? Longest : TimeSpan.FromSeconds(seconds);
}
