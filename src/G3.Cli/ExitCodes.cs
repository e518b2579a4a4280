namespace G3.Cli;

/// <summary>What every verb returns, documented in <c>g3 --help</c>.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The work failed: a model, store, file or photo could not be used, or the port is taken.</summary>
    public const int Failure = 1;

    /// <summary>The command line or configuration is wrong: unknown verb, option or key, or a bad value. Nothing was done.</summary>
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl-C (or eval at its cost cap); finished work is kept and a rerun resumes.</summary>
    public const int Interrupted = 130;

    public const string Help =
        "Exit codes: 0 success; 1 failure (a model, store, file or photo could not be used; the port is in use); " +
        "2 usage error (unknown verb, option or configuration key, or a bad value: nothing was done); 130 interrupted (Ctrl-C, or eval at its --max-cost: finished results are kept, a rerun resumes).";
}
