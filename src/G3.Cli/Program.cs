using G3.Host.Cli;

// One executable, several verbs (serve is the default). See `g3 --help`.
return await G3Cli.RunAsync(args);

namespace G3.Host
{
    /// <summary>Entry point type, named so WebApplicationFactory&lt;Program&gt; can find the host.</summary>
    public partial class Program;
}
