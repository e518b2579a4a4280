using G3.Diversification.Providers;

namespace G3.Diversification.Tests.Providers;

public sealed class RetryAfterHeaderTests
{
    private static readonly DateTimeOffset s_now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("5", null, 5000)]
    [InlineData("0.5", null, 500)]
    [InlineData("5", "1200", 1200)]
    [InlineData("Wed, 01 Jan 2025 12:00:09 GMT", null, 9000)]
    [InlineData("Wed, 01 Jan 2025 11:00:00 GMT", null, 0)]
    public void Parses_seconds_dates_and_milliseconds(string retryAfter, string? retryAfterMs, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), RetryAfterHeader.Parse(retryAfter, retryAfterMs, s_now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-3")]
    public void Unusable_values_mean_use_our_own_backoff(string? retryAfter) =>
        Assert.Null(RetryAfterHeader.Parse(retryAfter, null, s_now));

    [Theory]
    [InlineData("1e308", null)]
    [InlineData("99999999999999999999", null)]
    [InlineData(null, "1e300")]
    [InlineData("Fri, 31 Dec 9999 23:59:59 GMT", null)]
    public void Huge_values_are_clamped_instead_of_overflowing(string? retryAfter, string? retryAfterMs) =>
        Assert.Equal(RetryAfterHeader.Longest, RetryAfterHeader.Parse(retryAfter, retryAfterMs, s_now));

    [Theory]
    [InlineData("NaN", null)]
    [InlineData("Infinity", null)]
    [InlineData("-1e308", "-5")]
    [InlineData("12abc", "soon")]
    public void Negative_non_finite_and_garbage_values_mean_use_our_own_backoff(string? retryAfter, string? retryAfterMs) =>
        Assert.Null(RetryAfterHeader.Parse(retryAfter, retryAfterMs, s_now));
}
