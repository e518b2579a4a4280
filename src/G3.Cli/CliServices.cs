using G3.Host.Composition;
using Microsoft.Extensions.Logging;

namespace G3.Cli;

/// <summary>The service's composition (<see cref="G3ServiceCollectionExtensions.AddG3"/>) for verbs that run the pipeline in-process.</summary>
internal static class CliServices
{
    /// <summary>
    /// The service's ports, from the configuration and command-line settings, with every section checked and the
    /// models and store loaded; null after writing "<paramref name="verb"/>: reason" to <paramref name="error"/>
    /// when they cannot load (bad configuration, missing model or store). The caller disposes it.
    /// </summary>
    public static async Task<ServiceProvider?> LoadAsync(IReadOnlyList<string> settings, TextWriter error, string verb)
    {
        ServiceProvider? services = null;
        try
        {
            services = Build(CliConfiguration.Build(settings), LogLevel.Warning);
            // Resolving the pipelines loads the models and opens the store now, so a missing file is reported here.
            services.GetRequiredService<G3Pipelines>();
            return services;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (services is not null) await services.DisposeAsync();
            await error.WriteLineAsync($"{verb}: {e.Message}");
            return null;
        }
    }

    /// <summary>The ports over <paramref name="configuration"/>, every section validated (<see cref="G3Settings.ValidateAll"/>), logging to the console at <paramref name="level"/>.</summary>
    public static ServiceProvider Build(IConfiguration configuration, LogLevel level)
    {
        var services = new ServiceCollection()
            .AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(level))
            .AddG3(configuration)
            .BuildServiceProvider();
        try
        {
            G3Settings.ValidateAll(services);
            return services;
        }
        catch
        {
            services.Dispose();
            throw;
        }
    }
}
