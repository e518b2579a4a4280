using G3.Core.Candidates;

namespace G3.Core.Pipeline;

/// <summary>Progress of one request, for streaming answers. Delivered one at a time, in order.</summary>
public abstract record PipelineEvent;

public sealed record StageStarted(string Stage) : PipelineEvent;

public sealed record ReferencesFound(IReadOnlyList<ReferencePhoto> Similar, IReadOnlyList<ReferencePhoto> Dissimilar) : PipelineEvent;

public sealed record CandidatesArrived(IReadOnlyList<Candidate> Candidates, int Arrived, int Expected) : PipelineEvent;

public sealed record StageCompleted(string Stage, TimeSpan Elapsed) : PipelineEvent;

/// <summary>Stage names used in events, timings and traces.</summary>
public static class Stages
{
    public const string Encode = "encode", Retrieve = "retrieve", Generate = "generate", Verify = "verify";
}
