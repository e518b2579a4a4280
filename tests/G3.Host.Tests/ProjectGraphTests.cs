using System.Xml.Linq;

namespace G3.Host.Tests;

/// <summary>
/// The house's layering, read from the project files themselves: Core ← stages ← (Host, Evaluation, Synthetic) ← Cli.
/// Every stage references G3.Core and no other stage; the service library references no experiment runner and no
/// world generator; and no composition other than the composition root reads configuration.
/// </summary>
public class ProjectGraphTests
{
    private static readonly string[] Stages = ["G3.Alignment", "G3.Diversification", "G3.Geography", "G3.Verification"];

    /// <summary>Each src project's name and the src projects it references directly.</summary>
    private static Dictionary<string, List<string>> Graph() =>
        Directory.GetDirectories(TestPaths.InRepo("src"))
            .Select(d => Path.Combine(d, Path.GetFileName(d) + ".csproj"))
            .Where(File.Exists)
            .ToDictionary(p => Path.GetFileNameWithoutExtension(p), p => XDocument.Load(p).Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value)).ToList());

    [Fact]
    public void The_graph_is_one_way_core_then_stages_then_host_then_cli()
    {
        var graph = Graph();
        Assert.Empty(graph["G3.Core"]);
        foreach (var stage in Stages.Where(graph.ContainsKey))
            Assert.True(graph[stage].All(r => r == "G3.Core"), $"{stage} references {string.Join(", ", graph[stage])}; a stage references G3.Core only");
        var host = graph["G3.Host"];
        Assert.DoesNotContain("G3.Evaluation", host);
        Assert.DoesNotContain("G3.Synthetic", host);
        Assert.DoesNotContain("G3.Cli", host);
        Assert.All(host, r => Assert.True(r == "G3.Core" || Stages.Contains(r) || r == "G3.Retrieval", $"G3.Host references {r}"));
        Assert.Contains("G3.Host", graph["G3.Cli"]);
        // Nothing references the executable, and no project sits on a cycle.
        Assert.DoesNotContain(graph.Values, refs => refs.Contains("G3.Cli"));
        Assert.Empty(GraphCycles.Nodes(graph));
    }

    [Fact]
    public void The_cycle_finder_finds_a_cycle_when_there_is_one()
    {
        var graph = new Dictionary<string, List<string>> { ["a"] = ["b"], ["b"] = ["c"], ["c"] = ["a"], ["d"] = [] };
        Assert.Equal(["a", "b", "c"], GraphCycles.Nodes(graph).Order());
    }

    [Fact]
    public void No_type_named_G3Runtime_remains_and_only_composition_reads_configuration()
    {
        var sources = Directory.GetFiles(TestPaths.InRepo("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(sources);
        Assert.DoesNotContain(sources, f => File.ReadAllText(f).Contains("class G3Runtime", StringComparison.Ordinal));
        string[] reads = ["IConfiguration", "Configuration.GetSection", "Configuration.GetValue", "Configuration["];
        var readers = sources.Where(f => File.ReadAllText(f) is var text && reads.Any(r => text.Contains(r, StringComparison.Ordinal)))
            .Select(f => Path.GetRelativePath(TestPaths.RepoRoot, f).Replace('\\', '/'))
            .Where(f => !IsComposition(f))
            .ToList();
        Assert.True(readers.Count == 0, "configuration read outside composition: " + string.Join(", ", readers));
    }

    /// <summary>
    /// Where configuration may be read: the host's composition root and the options schema, the host's builder, the framework
    /// keys that decide the listen addresses (urls, Kestrel:Endpoints, which no options class of ours binds), and the CLI's
    /// configuration sources.
    /// </summary>
    private static bool IsComposition(string path) =>
        path.StartsWith("src/G3.Host/Composition/", StringComparison.Ordinal)
        || path is "src/G3.Host/Hosting/ServiceHost.cs" or "src/G3.Host/Security/SecurityExtensions.cs" or "src/G3.Host/Security/ListenAddresses.cs"
        || path.StartsWith("src/G3.Cli/Cli", StringComparison.Ordinal) || path == "src/G3.Cli/EvalCommand.cs";
}
