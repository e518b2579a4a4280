using G3.Core.Options;
using G3.Host.Composition;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace G3.Host.Tests.Caching;

/// <summary>The cache's settings: checked at start like every other section, each problem named.</summary>
public class CacheSettingsTests
{
    [Theory]
    [InlineData("Cache:Distributed:Kind", "redis", "ConnectionStrings__Cache")]
    [InlineData("Cache:Distributed:Knd", "redis", "did you mean 'Cache:Distributed:Kind'")]
    [InlineData("Cache:Local:SizeLimitBytes", "10", "Cache:Local:SizeLimitBytes must be at least")]
    [InlineData("Cache:Local:Lifetime", "00:00:00", "Cache:Local:Lifetime must lie between")]
    [InlineData("Cache:Distributed:RetryAfter", "00:00:00", "Cache:Distributed:RetryAfter must lie between")]
    [InlineData("Cache:UnusableAnswerLifetime", "7300.00:00:00", "Cache:UnusableAnswerLifetime must lie between")]
    [InlineData("ConnectionStrings:Cahce", "127.0.0.1:6379", "did you mean 'ConnectionStrings:Cache'")]
    [InlineData("Conversations:MaxResults", "1024", "was removed")]
    [InlineData("Conversations:ResultLifetime", "00:00:00", "Conversations:ResultLifetime must lie between")]
    public void A_bad_cache_setting_is_refused_at_start_naming_it(string key, string value, string expected)
    {
        var refused = Assert.Throws<G3OptionsException>(() => ValidateAtStart(new() { [key] = value }));
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_string_without_a_server_is_refused()
    {
        var refused = Assert.Throws<G3OptionsException>(() => ValidateAtStart(new()
        {
            ["Cache:Distributed:Kind"] = "redis", ["ConnectionStrings:Cache"] = "password=secret",
        }));
        Assert.Contains("ConnectionStrings:Cache names no server", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Redis_with_a_server_and_the_shipped_defaults_are_accepted()
    {
        ValidateAtStart(new() { ["Cache:Distributed:Kind"] = "redis", ["ConnectionStrings:Cache"] = "cache:6379,password=secret" });
        ValidateAtStart(new());
        var shipped = new ConfigurationBuilder().AddJsonFile(TestPaths.InRepo("appsettings.json")).Build();
        using var services = new ServiceCollection().AddG3Options(shipped).BuildServiceProvider();
        G3Settings.ValidateAll(services);
    }

    private static void ValidateAtStart(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddG3Options(configuration).BuildServiceProvider();
        G3Settings.ValidateAll(services);
    }
}
