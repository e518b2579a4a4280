using G3.Host.Composition;
using Microsoft.Extensions.Logging;

namespace G3.Cli;

/// <summary>Loads the service's runtime for a verb that runs the pipeline in-process (geolocate, eval-text).</summary>
internal static class CliRuntime
{
    /// <summary>
    /// The runtime from the configuration and command-line settings, logging warnings and worse to the
    /// console; null after writing "<paramref name="verb"/>: reason" to <paramref name="error"/> when it
    /// cannot load (bad configuration, missing model or store).
    /// </summary>
    public static async Task<G3Runtime?> LoadAsync(IReadOnlyList<string> settings, TextWriter error, string verb)
    {
        try
        {
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
            return RuntimeFactory.Create(CliConfiguration.Build(settings), loggers);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await error.WriteLineAsync($"{verb}: {e.Message}");
            return null;
        }
    }
}
