// Small namespaces for NamespaceGraphTests: the reader must find what uses what even when the use is only inside a
// method body, so each use below is in a body, never in a signature.

namespace G3.Host.Tests.NamespaceSamples.Ring.First
{
    internal sealed class Caller
    {
        public static int Call() => Second.Callee.Value;
    }
}

namespace G3.Host.Tests.NamespaceSamples.Ring.Second
{
    internal static class Callee
    {
        public static readonly int Value = 1;

        public static object Make() => new First.Caller();
    }
}

namespace G3.Host.Tests.NamespaceSamples.Line.Upper
{
    internal static class User
    {
        public static object Make() => new Lower.Used();
    }
}

namespace G3.Host.Tests.NamespaceSamples.Line.Lower
{
    internal sealed class Used;
}
