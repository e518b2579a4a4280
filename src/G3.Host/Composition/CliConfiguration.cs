namespace G3.Host.Composition;

/// <summary>
/// Configuration for CLI verbs, from the same sources as the service: appsettings.json beside the
/// binary, G3_-prefixed environment variables, then --Section:Key=value settings given on the command line.
/// </summary>
internal static class CliConfiguration
{
    public static IConfiguration Build(IEnumerable<string> settings) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables("G3_")
            .AddCommandLine(settings.ToArray())
            .Build();

    public static StoreSettings Store(IConfiguration configuration) =>
        configuration.GetSection(StoreSettings.SectionName).Get<StoreSettings>() ?? new StoreSettings();
}
