using G3.Core.Options;
using G3.Host.Composition;
using G3.Retrieval;

namespace G3.Cli;

/// <summary>
/// Configuration for CLI verbs, from the same sources as the service: appsettings.json in the G3 root
/// (<see cref="G3Paths"/>), G3_-prefixed environment variables, then --Section:Key=value settings given on
/// the command line. Keys under the project's sections that no options class binds are refused.
/// </summary>
internal static class CliConfiguration
{
    public static IConfiguration Build(IEnumerable<string> settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(G3Paths.Settings, optional: true)
            .AddEnvironmentVariables("G3_")
            .AddCommandLine(settings.ToArray())
            .Build();
        var unknown = ConfigurationSchema.UnknownKeys(configuration);
        if (unknown.Count > 0) throw new G3OptionsException(unknown);
        return configuration;
    }

    /// <summary>The shipped appsettings.json alone (its top-level sections count as known).</summary>
    public static IConfiguration Shipped() => new ConfigurationBuilder().AddJsonFile(G3Paths.Settings, optional: true).Build();
}
