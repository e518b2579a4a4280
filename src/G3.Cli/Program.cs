using G3.Cli;

// One executable, several verbs (serve is the default). See `g3 --help`.
return await G3Cli.RunAsync(args);

/// <summary>
/// The entry point's type (the top-level statements above), public so that tests' WebApplicationFactory&lt;Program&gt;
/// finds this assembly and the host its serve verb builds.
/// </summary>
#pragma warning disable CA1050 // the compiler puts top-level statements' Program in the global namespace
public partial class Program;
#pragma warning restore CA1050
