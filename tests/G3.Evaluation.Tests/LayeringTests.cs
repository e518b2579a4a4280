namespace G3.Evaluation.Tests;

/// <summary>The evaluation library depends on the stages it ablates, never on the host or the synthetic-world generator.</summary>
public class LayeringTests
{
    [Fact]
    public void The_library_references_neither_the_host_nor_the_generator()
    {
        var references = typeof(IExperimentRuntime).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.Contains("G3.Core", references);
        Assert.DoesNotContain("g3", references);
        Assert.DoesNotContain("G3.Synthetic", references);
        Assert.DoesNotContain("Microsoft.AspNetCore.Http.Abstractions", references);
    }
}
