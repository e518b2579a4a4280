using System.CommandLine;
using System.Text.RegularExpressions;
using G3.Host.Hosting;

namespace G3.Cli;

/// <summary>The command line: one root command, one sub-command per verb.</summary>
internal static class G3Cli
{
    /// <summary>Host settings ASP.NET Core reads from the command line; the last two are what test hosts pass.</summary>
    private static readonly (string Key, string Description)[] HostSettings =
    [
        ("urls", "Addresses to listen on, e.g. http://127.0.0.1:8080 (default: Urls in appsettings.json)."),
        ("environment", "ASP.NET Core environment name (Production by default)."),
        ("contentRoot", ""),
        ("applicationName", ""),
    ];

    /// <summary>
    /// Parses and runs <paramref name="args"/>; a usage error is reported by name and returns 2 without running anything.
    /// No exception reaches the user as a stack trace: one that escapes a verb is reported in one line (exit 1).
    /// </summary>
    public static async Task<int> RunAsync(string[] args, InvocationConfiguration? io = null, CancellationToken cancellationToken = default)
    {
        io ??= new InvocationConfiguration();
        // System.CommandLine's own handler prints "Unhandled exception" with the stack trace; the catch below replaces it.
        io.EnableDefaultExceptionHandler = false;
        ParseResult parse;
        try
        {
            parse = Create().Parse(args);
        }
        catch (Exception e)
        {
            // A value no check anticipated, met while parsing: nothing ran.
            await io.Error.WriteLineAsync($"g3: {e.Message}");
            await io.Error.WriteLineAsync("See 'g3 --help'.");
            return ExitCodes.Usage;
        }
        try
        {
            return await RunAsync(parse, io, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C, in a verb that leaves the cancellation to us.
            await io.Error.WriteLineAsync($"{VerbOf(parse)}: stopped");
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            await io.Error.WriteLineAsync($"{VerbOf(parse)}: {e.Message} ({e.GetType().Name})");
            return ExitCodes.Failure;
        }
    }

    private static async Task<int> RunAsync(ParseResult parse, InvocationConfiguration io, CancellationToken cancellationToken)
    {
        // Our findings first (an unknown option, with the nearest known one, explains a "required option" error
        // that follows from it), then the parser's errors about tokens not already named.
        var problems = CommandLineChecks.Find(parse).ToList();
        problems.AddRange(parse.Errors.Select(e => PlainTypeNames(e.Message))
            .Where(m => !problems.Any(p => Named(p) is { } token && m.Contains($"'{token}'", StringComparison.Ordinal))));
        if (problems.Count > 0)
        {
            var verb = VerbOf(parse);
            foreach (var problem in problems) await io.Error.WriteLineAsync($"{verb}: {problem}");
            await io.Error.WriteLineAsync($"See '{verb} --help'.");
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync(io, cancellationToken);
    }

    /// <summary>
    /// The parser's "… as expected type 'System.Nullable`1[System.Int32]'." in words: "… as a whole number.".
    /// </summary>
    private static string PlainTypeNames(string message) =>
        Regex.Replace(message, @"as expected type '([^']+)'", m => m.Groups[1].Value switch
        {
            var t when t.Contains("Int", StringComparison.Ordinal) => "as a whole number",
            var t when t.Contains("Double", StringComparison.Ordinal) || t.Contains("Single", StringComparison.Ordinal) => "as a number",
            _ => m.Value,
        });

    /// <summary>The token a finding names ("unknown option '--jsn' …" → --jsn).</summary>
    private static string? Named(string problem) =>
        problem.IndexOf('\'', StringComparison.Ordinal) is >= 0 and var start && problem.IndexOf('\'', start + 1) is > 0 and var end
            ? problem[(start + 1)..end]
            : null;

    private static string VerbOf(ParseResult parse) =>
        parse.CommandResult.Command is RootCommand ? "g3" : "g3 " + parse.CommandResult.Command.Name;

    public static RootCommand Create()
    {
        var root = new RootCommand(
            "G3: worldwide image geolocalization with retrieval-augmented multimodal models.\n" +
            "Without a verb, runs `serve`. Configuration: appsettings.json in the repository root (the folder relative paths " +
            "resolve from), G3_Section__Key environment variables, or --Section:Key=value on the command line; unknown keys are refused.\n" +
            ExitCodes.Help);
        var serve = ServeCommand();
        root.Subcommands.Add(serve);
        root.Subcommands.Add(EncodeCommands.EncodeLocation());
        root.Subcommands.Add(EncodeCommands.EncodeImage());
        root.Subcommands.Add(IndexCommand.Create());
        root.Subcommands.Add(GeolocateCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(SynthCommand.Create());
        root.Subcommands.Add(DescribeCommand.Create());
        root.Subcommands.Add(EvalTextCommand.Create());
        // `g3` alone serves; so does `g3 --urls ...`. Unmatched tokens are --Section:Key=value settings,
        // checked by CommandLineChecks before anything runs.
        root.TreatUnmatchedTokensAsErrors = false;
        var hostOptions = AddHostOptions(root);
        root.SetAction((parse, ct) => ServeAsync(HostArgs(parse, hostOptions), parse, ct));
        return root;
    }

    private static Command ServeCommand()
    {
        var serve = new Command("serve",
            "Start the HTTP service (default verb). Every appsettings.json key can be set as --Section:Key=value " +
            "or as an environment variable G3_Section__Key.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        var hostOptions = AddHostOptions(serve);
        serve.SetAction((parse, ct) => ServeAsync(HostArgs(parse, hostOptions), parse, ct));
        return serve;
    }

    private static Option<string?>[] AddHostOptions(Command command)
    {
        var options = HostSettings.Select(s => new Option<string?>("--" + s.Key)
        {
            Description = s.Description,
            Hidden = s.Description.Length == 0,
        }).ToArray();
        foreach (var option in options) command.Options.Add(option);
        return options;
    }

    /// <summary>What the web host reads: the host options given, then the --Section:Key=value settings.</summary>
    internal static string[] HostArgs(ParseResult parse, Option<string?>[] hostOptions) =>
    [
        .. hostOptions.Where(o => parse.GetValue(o) is not null).Select(o => $"{o.Name}={parse.GetValue(o)}"),
        .. CommandLineChecks.Settings(parse.UnmatchedTokens),
    ];

    private static async Task<int> ServeAsync(string[] hostArgs, ParseResult parse, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            var app = ServiceHost.Build(hostArgs, ExecutablePorts.Add);
            await app.RunAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (Exception e) when (StartFailure.Messages(e) is { } failures)
        {
            foreach (var failure in failures) await error.WriteLineAsync("serve: " + failure).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (IOException e)
        {
            // Kestrel could not bind (address in use, no permission): one line, not a stack trace.
            await error.WriteLineAsync("serve: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (InvalidOperationException e)
        {
            // A configuration the service must not start with (e.g. open to the network without keys).
            await error.WriteLineAsync("serve: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
