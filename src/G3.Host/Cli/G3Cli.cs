using System.CommandLine;
using G3.Host.Hosting;

namespace G3.Host.Cli;

/// <summary>The command line: one root command, one sub-command per verb.</summary>
internal static class G3Cli
{
    public static RootCommand Create()
    {
        var root = new RootCommand(
            "G3: worldwide image geolocalization with retrieval-augmented multimodal models.\n" +
            "Without a verb, runs `serve`.");
        var serve = ServeCommand();
        root.Subcommands.Add(serve);
        root.Subcommands.Add(EncodeCommands.EncodeLocation());
        root.Subcommands.Add(EncodeCommands.EncodeImage());
        root.Subcommands.Add(IndexCommand.Create());
        root.Subcommands.Add(GeolocateCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(SynthCommand.Create());
        // `g3` alone serves; so does `g3 --urls ...` (ASP.NET Core's usual options pass through).
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((parse, ct) => ServeAsync(parse.UnmatchedTokens, ct));
        return root;
    }

    private static Command ServeCommand()
    {
        var serve = new Command("serve",
            "Start the HTTP service (default verb). ASP.NET Core's options pass through, e.g. " +
            "--urls http://127.0.0.1:8080; every appsettings.json key can be set as --Section:Key=value " +
            "or as an environment variable G3_Section__Key.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        serve.SetAction((parse, ct) => ServeAsync(parse.UnmatchedTokens, ct));
        return serve;
    }

    private static async Task<int> ServeAsync(IReadOnlyList<string> hostArgs, CancellationToken cancellationToken)
    {
        WebApplication app;
        try
        {
            app = ServiceHost.Build([.. hostArgs]);
        }
        catch (InvalidOperationException e)
        {
            // A configuration the service must not start with (e.g. open to the network without keys).
            await Console.Error.WriteLineAsync("serve: " + e.Message).ConfigureAwait(false);
            return 1;
        }
        await app.RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
