using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using G3.Core.Options;
using G3.Host.Composition;

namespace G3.Cli;

/// <summary>
/// What the parser lets through but must not run: a verb name it took for serve's argument, an option it took
/// for a file name (<c>geolocate --jsn photo.jpg</c>), a configuration setting whose key no options class binds
/// (<c>--Store:Embeded:Directory=…</c>). Each is refused by name, with the nearest known name.
/// </summary>
internal static class CommandLineChecks
{
    /// <summary>
    /// A configuration setting given on the command line: <c>--Section:Key=value</c>, or a bare section <c>--Section=</c>
    /// (test hosts pass their whole host configuration this way, sections included, with empty values).
    /// </summary>
    public static bool IsSetting(string token) =>
        token.StartsWith("--", StringComparison.Ordinal) && token.IndexOf('=', StringComparison.Ordinal) is > 2 and var eq
        && (token.AsSpan(2, eq - 2).Contains(':') || eq == token.Length - 1);

    /// <summary>The configuration settings among <paramref name="tokens"/>.</summary>
    public static IReadOnlyList<string> Settings(IEnumerable<string> tokens) => tokens.Where(IsSetting).ToList();

    /// <summary>Every problem with the command line, one message each; empty when it may run.</summary>
    public static IReadOnlyList<string> Find(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var takesSettings = !command.TreatUnmatchedTokensAsErrors;
        var problems = new List<string>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var settings = new List<string>();

        var strays = new List<string>();
        foreach (var token in parse.UnmatchedTokens)
        {
            if (IsSetting(token) && takesSettings) settings.Add(token);
            else if (LooksLikeOption(token) || token.Contains(':', StringComparison.Ordinal) && token.StartsWith("--", StringComparison.Ordinal))
            {
                if (reported.Add(token)) problems.Add(Describe(token, command));
            }
            else strays.Add(token);
        }
        // Open-ended arguments (photos, an experiment file) also take unknown options as values: look for them there.
        foreach (var token in parse.Tokens.TakeWhile(t => t.Type != TokenType.DoubleDash))
        {
            if (token.Type != TokenType.Argument || !LooksLikeOption(token.Value)) continue;
            if (IsSetting(token.Value) && takesSettings) settings.Add(token.Value);
            else if (reported.Add(token.Value)) problems.Add(Describe(token.Value, command));
        }
        // A stray word is reported only when nothing else explains it: after '--limt' the '5' is that option's value,
        // after 'geolocat' the photo is that verb's argument.
        if (problems.Count == 0 && strays.Count > 0)
            problems.Add(command is RootCommand
                ? $"unknown verb '{strays[0]}'{NearestName.Hint(strays[0], command.Subcommands.Select(c => c.Name))}"
                : $"unexpected argument '{strays[0]}'");
        if (takesSettings) problems.AddRange(CheckSettings(settings));
        return problems;
    }

    private static IReadOnlyList<string> CheckSettings(List<string> settings)
    {
        var problems = new List<string>();
        var keys = settings.Select(s => s[2..s.IndexOf('=', StringComparison.Ordinal)]).ToList();
        problems.AddRange(ConfigurationSchema.UnknownSections(keys, CliConfiguration.Shipped()));
        // A mistyped section in a G3_ environment variable would be ignored whole, as on the command line.
        problems.AddRange(ConfigurationSchema.UnknownEnvironmentSections());
        try
        {
            CliConfiguration.Build(settings.Distinct());
        }
        catch (G3OptionsException e)
        {
            problems.AddRange(e.Errors);
        }
        return problems;
    }

    private static string Describe(string token, Command command)
    {
        if (IsSetting(token))
            return $"'{command.Name}' takes no configuration settings ('{token}')";
        if (token.StartsWith("--", StringComparison.Ordinal) && token.Contains(':', StringComparison.Ordinal))
            return $"'{token}': configuration settings are written --Section:Key=value";
        if (LooksLikeOption(token))
        {
            var name = token.Split('=')[0];
            var options = command.Options.Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options.Where(o => o.Recursive)))
                .Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name));
            return $"unknown option '{name}'{NearestName.Hint(name, options)}";
        }
        return $"unexpected argument '{token}'";
    }

    /// <summary>-x or --xyz, but not a negative number (a longitude) nor "-" (standard input).</summary>
    private static bool LooksLikeOption(string token) =>
        token.Length > 1 && token[0] == '-' && !double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
