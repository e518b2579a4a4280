namespace G3.Retrieval.Embedded.Hnsw;

/// <summary>One build's settings and how often it checkpoints (tests checkpoint every batch to be killed mid-build).</summary>
public sealed record HnswBuildRun(HnswSettings Settings)
{
    /// <summary>The longest stretch of work a killed build can lose.</summary>
    public TimeSpan CheckpointEvery { get; init; } = TimeSpan.FromSeconds(60);
}
