using G3.Host.Hosting;

namespace G3.Host.Tests;

/// <summary>
/// The namespaces inside G3.Host point one way, in the order docs/architecture.md (Layers and projects) gives, read from
/// the compiled assembly (<see cref="NamespaceGraph"/>): what a type uses in its signatures and in its method bodies.
/// </summary>
public class NamespaceGraphTests
{
    /// <summary>G3.Host's namespaces, lowest first: each uses only namespaces before it.</summary>
    private static readonly string[] Order = ["Composition", "Places", "Web", "Contracts", "Conversations", "Telemetry", "Security", "Apis", "Hosting"];

    private static Dictionary<string, List<string>> Host() => NamespaceGraph.Of(typeof(ServiceHost).Assembly, "G3.Host");

    [Fact]
    public void The_host_namespaces_form_no_cycle()
    {
        var graph = Host();
        var cycle = GraphCycles.Nodes(graph);
        Assert.True(cycle.Count == 0, $"namespaces on a cycle: {string.Join(", ", cycle)} (graph: {NamespaceGraph.Describe(graph)})");
    }

    [Fact]
    public void Each_host_namespace_uses_only_those_before_it_in_the_documented_order()
    {
        var graph = Host();
        // A new namespace takes its place in the order (here and in docs/architecture.md).
        Assert.Equal(Order.Order(StringComparer.Ordinal), graph.Keys.Order(StringComparer.Ordinal));
        var upward = graph.SelectMany(e => e.Value.Where(to => Array.IndexOf(Order, to) > Array.IndexOf(Order, e.Key)).Select(to => $"{e.Key} -> {to}")).ToList();
        Assert.True(upward.Count == 0, $"uses against the order: {string.Join(", ", upward)} (graph: {NamespaceGraph.Describe(graph)})");
    }

    [Fact]
    public void Conversations_use_no_wire_shape()
    {
        // The chat's words come from the pipeline's results; the API alone turns results into its JSON shapes.
        Assert.DoesNotContain("Contracts", Host()["Conversations"]);
    }

    [Fact]
    public void The_reader_sees_uses_inside_method_bodies_and_finds_their_cycle()
    {
        var graph = NamespaceGraph.Of(typeof(NamespaceGraphTests).Assembly, "G3.Host.Tests.NamespaceSamples");
        Assert.Equal(["Ring.Second"], graph["Ring.First"]);
        Assert.Equal(["Ring.First"], graph["Ring.Second"]);
        Assert.Equal(["Line.Lower"], graph["Line.Upper"]);
        Assert.Empty(graph["Line.Lower"]);
        Assert.Equal(["Ring.First", "Ring.Second"], GraphCycles.Nodes(graph).Order(StringComparer.Ordinal));
    }
}
