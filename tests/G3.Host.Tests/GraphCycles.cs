namespace G3.Host.Tests;

/// <summary>Cycles in a dependency graph (node → the nodes it depends on): the project graph and the host's namespace graph.</summary>
internal static class GraphCycles
{
    /// <summary>The nodes that lie on a cycle (Tarjan's strongly connected components of more than one node, or a self-loop).</summary>
    public static List<string> Nodes(Dictionary<string, List<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onCycle = new List<string>();
        var counter = 0;
        void Visit(string v)
        {
            index[v] = low[v] = counter++;
            stack.Push(v);
            foreach (var w in graph.GetValueOrDefault(v) ?? [])
            {
                if (index.TryGetValue(w, out var seen))
                {
                    if (stack.Contains(w)) low[v] = Math.Min(low[v], seen);
                }
                else
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do { x = stack.Pop(); component.Add(x); } while (x != v);
            if (component.Count > 1 || (graph.GetValueOrDefault(v)?.Contains(v) ?? false)) onCycle.AddRange(component);
        }
        foreach (var v in graph.Keys) if (!index.ContainsKey(v)) Visit(v);
        return onCycle;
    }
}
