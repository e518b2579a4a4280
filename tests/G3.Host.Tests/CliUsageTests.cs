using System.CommandLine;
using G3.Cli;

namespace G3.Host.Tests;

/// <summary>
/// Every verb answers a missing argument or a non-numeric value with a usage message and exit code 2, never a stack
/// trace. The verbs and their numeric options and arguments are read from the command tree, so a verb or option
/// added later is covered without touching this file.
/// </summary>
public class CliUsageTests
{
    /// <summary>Verbs whose work needs no argument at all: serve (the default verb) listens, synth writes the default world.</summary>
    private static readonly string[] RunWithoutArguments = ["serve", "synth"];

    private static readonly Type[] NumericTypes =
        [typeof(byte), typeof(short), typeof(int), typeof(long), typeof(uint), typeof(ulong), typeof(float), typeof(double), typeof(decimal)];

    private static IEnumerable<Command> Verbs() => G3Cli.Create().Subcommands;

    private static List<string> VerbsNeedingArguments() => Verbs().Select(v => v.Name).Except(RunWithoutArguments).ToList();

    /// <summary>(verb, option) for every option whose value is a number or a list of numbers, the root command's ("") included.</summary>
    private static List<(string Verb, string Option)> NumericOptionList()
    {
        var root = G3Cli.Create();
        return [.. root.Subcommands.Prepend(root).SelectMany(command => command.Options.Where(o => IsNumeric(o.ValueType))
            .Select(option => (command == root ? "" : command.Name, option.Name)))];
    }

    /// <summary>Verbs with a positional argument that takes numbers.</summary>
    private static List<string> NumericArgumentVerbs() =>
        Verbs().Where(v => v.Arguments.Any(a => IsNumeric(a.ValueType))).Select(v => v.Name).ToList();

    public static TheoryData<string> VerbsThatNeedArguments() => new(VerbsNeedingArguments());

    public static TheoryData<string, string> NumericOptions()
    {
        var data = new TheoryData<string, string>();
        foreach (var (verb, option) in NumericOptionList()) data.Add(verb, option);
        return data;
    }

    public static TheoryData<string> VerbsWithNumericArguments() => new(NumericArgumentVerbs());

    private static bool IsNumeric(Type type)
    {
        type = type.IsArray ? type.GetElementType()! : type;
        return NumericTypes.Contains(Nullable.GetUnderlyingType(type) ?? type);
    }

    [Theory]
    [MemberData(nameof(VerbsThatNeedArguments))]
    public async Task A_verb_without_its_arguments_is_a_usage_error(string verb)
    {
        var (exit, output, error) = await CommandLineTests.Run(verb);
        AssertUsageError(verb, exit, output, error);
    }

    [Theory]
    [MemberData(nameof(NumericOptions))]
    public async Task A_non_numeric_value_for_a_numeric_option_is_a_usage_error(string verb, string option)
    {
        string[] args = verb.Length == 0 ? [option, "abc"] : [verb, option, "abc"];
        var (exit, output, error) = await CommandLineTests.Run(args);
        AssertUsageError(verb.Length == 0 ? "g3" : verb, exit, output, error);
        Assert.Contains($"'{option}'", error, StringComparison.Ordinal);
        Assert.Contains("'abc'", error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(VerbsWithNumericArguments))]
    public async Task A_non_numeric_value_for_a_numeric_argument_is_a_usage_error(string verb)
    {
        var (exit, output, error) = await CommandLineTests.Run(verb, "abc", "def");
        AssertUsageError(verb, exit, output, error);
        Assert.Contains("'abc'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_tree_walk_finds_the_numeric_options_and_arguments_the_issue_named()
    {
        // Guards the theories above against an enumeration that finds nothing.
        var options = NumericOptionList();
        Assert.Contains(("eval", "--limit"), options);
        Assert.Contains(("eval-text", "--limit"), options);
        Assert.Contains(("encode-image", "--device"), options);
        Assert.Contains(("synth", "--seed"), options);
        Assert.Contains("encode-location", NumericArgumentVerbs());
        Assert.Contains("geolocate", VerbsNeedingArguments());
    }

    [Fact]
    public void The_verbs_that_run_without_arguments_exist_and_require_nothing()
    {
        foreach (var name in RunWithoutArguments)
        {
            var verb = Assert.Single(Verbs(), v => v.Name == name);
            Assert.DoesNotContain(verb.Options, o => o.Required);
            Assert.DoesNotContain(verb.Arguments, a => a.Arity.MinimumNumberOfValues > 0);
        }
    }

    [Fact]
    public async Task A_bad_value_names_its_kind_of_number_not_a_dotnet_type()
    {
        var (exit, _, error) = await CommandLineTests.Run("eval", "x.json", "--limit", "abc");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("Cannot parse argument 'abc' for option '--limit' as a whole number", error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error, StringComparison.Ordinal);
    }

    private static void AssertUsageError(string verb, int exit, string output, string error)
    {
        Assert.True(exit == ExitCodes.Usage, $"g3 {verb}: exit {exit}, expected {ExitCodes.Usage}\n{error}");
        Assert.Contains($"{verb}: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }
}
