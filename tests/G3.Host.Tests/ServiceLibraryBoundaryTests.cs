using System.Reflection;
using System.Xml.Linq;

namespace G3.Host.Tests;

/// <summary>
/// The service library (src/G3.Host) must not depend on the synthetic-world generator, directly or through
/// another project: only the executable g3 (src/G3.Cli) does, for the synth verb and the first start's world.
/// </summary>
public class ServiceLibraryBoundaryTests
{
    [Fact]
    public void The_service_assembly_references_no_synthetic_world_generator_even_transitively()
    {
        var service = G3AssemblyClosure(typeof(Hosting.ServiceHost).Assembly);
        Assert.Contains("G3.Geography", service); // the walk follows the service's own references
        Assert.DoesNotContain("G3.Synthetic", service);
        // The same walk from the executable does find it, so the assertion above can fail.
        Assert.Contains("G3.Synthetic", G3AssemblyClosure(typeof(G3.Cli.G3Cli).Assembly));
    }

    [Fact]
    public void The_service_project_references_no_synthetic_world_project_even_transitively()
    {
        var service = ProjectClosure(TestPaths.InRepo("src", "G3.Host", "G3.Host.csproj"));
        Assert.Contains("G3.Core.csproj", service);
        Assert.DoesNotContain("G3.Synthetic.csproj", service);
        Assert.Contains("G3.Synthetic.csproj", ProjectClosure(TestPaths.InRepo("src", "G3.Cli", "G3.Cli.csproj")));
    }

    /// <summary>Names of the project's assemblies (G3.*, g3) that <paramref name="start"/> references, followed transitively through its metadata.</summary>
    private static HashSet<string> G3AssemblyClosure(Assembly start)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([start]);
        while (pending.Count > 0)
        {
            foreach (var name in pending.Pop().GetReferencedAssemblies())
            {
                if (name.Name is not { } n || !(n.StartsWith("G3.", StringComparison.Ordinal) || n == "g3") || !seen.Add(n)) continue;
                pending.Push(Assembly.Load(name));
            }
        }
        return seen;
    }

    /// <summary>File names of the projects <paramref name="project"/> references, followed transitively through ProjectReference items.</summary>
    private static HashSet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            foreach (var reference in XDocument.Load(current).Descendants("ProjectReference"))
            {
                var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, reference.Attribute("Include")!.Value));
                if (seen.Add(Path.GetFileName(path))) pending.Push(path);
            }
        }
        return seen;
    }
}
