using G3.Cli;

namespace G3.Host.Tests;

public class CliTests
{
    [Fact]
    public async Task Help_lists_the_serve_verb()
    {
        var output = new StringWriter();
        var parse = G3Cli.Create().Parse(["--help"]);
        var exit = await parse.InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output });
        Assert.Equal(0, exit);
        Assert.Contains("serve", output.ToString(), StringComparison.Ordinal);
    }
}
