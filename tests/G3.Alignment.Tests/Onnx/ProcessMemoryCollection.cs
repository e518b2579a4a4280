namespace G3.Alignment.Tests.Onnx;

/// <summary>
/// Tests that read the process's resident memory, or that allocate hundreds of MB, run alone: another
/// test's allocations in parallel would show up as "growth" in a leak check.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMemoryCollection
{
    public const string Name = "process memory";
}
