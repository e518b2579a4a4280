using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Levels;
using G3.Core.Options;
using G3.Core.Ports;
using G3.Core.Usage;
using G3.Core.Views;

namespace G3.Core.Pipeline;

/// <summary>Wall time of each stage of one request.</summary>
public sealed record StageTimings(TimeSpan Encode, TimeSpan Retrieve, TimeSpan Generate, TimeSpan Verify, TimeSpan Total);

/// <summary>Everything one G3 run decided, and why.</summary>
public sealed record GeolocationResult
{
    /// <summary>The answer: the top-ranked candidate.</summary>
    public required ScoredCandidate Best { get; init; }

    public GeoPoint Point => Best.Candidate.Point!.Value;

    /// <summary>Valid candidates, best first, with the verifier's scores (null scores when verification is off).</summary>
    public required IReadOnlyList<ScoredCandidate> Ranked { get; init; }

    /// <summary>The verifier's probability of each ranked candidate (same order); null without one (verification off, baseline selectors).</summary>
    public IReadOnlyList<double>? Probabilities { get; init; }

    /// <summary>Every LMM candidate in generation order (variant, then sample), failures included.</summary>
    public required IReadOnlyList<Candidate> LmmCandidates { get; init; }

    /// <summary>Every LMM call the run made or answered from the cache, in the order they came back.</summary>
    public IReadOnlyList<LmmCall> LmmCalls { get; init; } = [];

    /// <summary>What the LMM stage cost: tokens in total and per provider and model, cached answers apart.</summary>
    public LmmUsage Usage => LmmUsage.Of(LmmCalls);

    /// <summary>The retrieved candidates that entered verification (the S most similar photos).</summary>
    public required IReadOnlyList<Candidate> RetrievedCandidates { get; init; }

    public required IReadOnlyList<ReferencePhoto> Similar { get; init; }
    public required IReadOnlyList<ReferencePhoto> Dissimilar { get; init; }

    /// <summary>The verifier's confidence in <see cref="Best"/> (0..1), when it reports one.</summary>
    public double? Confidence { get; init; }

    /// <summary>Whether the photo resembles the reference collection (null when no check is configured or nothing was retrieved).</summary>
    public OutOfDistributionVerdict? OutOfDistribution { get; init; }

    /// <summary>How many candidates agree with <see cref="Best"/> (within 25/200/750 km), when verified.</summary>
    public CandidateAgreement? Agreement { get; init; }

    /// <summary>The most likely country, region and city with their probability mass; null without a geocoder or without verifier probabilities.</summary>
    public PlaceLevels? Levels { get; init; }

    /// <summary>True when the LMM stage was configured but produced no valid candidate.</summary>
    public bool Degraded { get; init; }
    public string? DegradedReason { get; init; }

    public required StageTimings Timings { get; init; }
    public required G3Options Options { get; init; }
    /// <summary>The query's key: the photo's SHA-256, or for several photos <see cref="PlaceQuery.Sha256"/>.</summary>
    public required string ImageSha256 { get; init; }

    /// <summary>For a several-photo query: how many photos were encoded and averaged, with which weights, and whether they disagree; null for one photo.</summary>
    public ViewAgreement? Views { get; init; }
}
