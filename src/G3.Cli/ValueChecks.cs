using System.CommandLine;

namespace G3.Cli;

/// <summary>
/// Range checks on options and arguments (--limit ≥ 1, --device ≥ 0, coordinates in pairs). System.CommandLine runs
/// validators even when a value did not parse (<c>--limit abc</c>), and reading the value there throws; the parser
/// reports the non-number by name itself, so a check on a value that did not parse adds nothing.
/// </summary>
internal static class ValueChecks
{
    /// <summary>Refuses the parsed value of <paramref name="option"/> when <paramref name="problem"/> names one.</summary>
    public static void Check<T>(this Option<T> option, Func<T, string?> problem) =>
        option.Validators.Add(result =>
        {
            if (TryRead(result.GetValueOrDefault<T>, out var value) && problem(value) is { } message) result.AddError(message);
        });

    /// <summary>Refuses the parsed value of <paramref name="argument"/> when <paramref name="problem"/> names one.</summary>
    public static void Check<T>(this Argument<T> argument, Func<T, string?> problem) =>
        argument.Validators.Add(result =>
        {
            if (TryRead(result.GetValueOrDefault<T>, out var value) && problem(value) is { } message) result.AddError(message);
        });

    private static bool TryRead<T>(Func<T> read, out T value)
    {
        try
        {
            value = read();
            return true;
        }
        catch (InvalidOperationException)
        {
            // "Cannot parse argument 'abc' for option '--limit'": already a parse error of its own.
            value = default!;
            return false;
        }
    }
}
