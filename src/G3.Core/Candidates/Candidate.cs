using G3.Core.Geo;

namespace G3.Core.Candidates;

/// <summary>Where a candidate came from.</summary>
public enum CandidateSource
{
    /// <summary>An answer of the multimodal model to one of the K prompts.</summary>
    Lmm,

    /// <summary>The coordinates of one of the S most similar retrieved photos.</summary>
    Retrieval,
}

/// <summary>What became of the model's text when it was turned into a point.</summary>
public enum ParseOutcome
{
    /// <summary>A valid point was read from the answer (or the candidate came from retrieval).</summary>
    Parsed,

    /// <summary>The answer held no coordinates we could read.</summary>
    Unparsable,

    /// <summary>Coordinates were read but are impossible (out of range, NaN) or a placeholder such as (0, 0).</summary>
    Invalid,

    /// <summary>The provider failed (error, timeout, cancelled at the deadline); no text came back.</summary>
    ProviderError,
}

/// <summary>One of the K prompt variants: its index and how many references it lists.</summary>
public readonly record struct PromptVariant(int Index, int ReferenceCount)
{
    public bool IsZeroShot => ReferenceCount == 0;
}

/// <summary>
/// A candidate location with its provenance. <see cref="Point"/> is null when the candidate failed
/// (see <see cref="Outcome"/>); such candidates are kept so experiments can count failures.
/// </summary>
public sealed record Candidate
{
    public required CandidateSource Source { get; init; }
    public GeoPoint? Point { get; init; }
    public ParseOutcome Outcome { get; init; } = ParseOutcome.Parsed;

    /// <summary>LMM candidates: the prompt variant that produced it.</summary>
    public PromptVariant? Variant { get; init; }

    /// <summary>LMM candidates: which of the N samples of its prompt this is (0-based).</summary>
    public int? SampleIndex { get; init; }

    /// <summary>LMM candidates: the model's raw answer (null on provider errors).</summary>
    public string? RawText { get; init; }

    /// <summary>LMM candidates: why it failed, for provider errors and unparsable answers.</summary>
    public string? Error { get; init; }

    /// <summary>Retrieval candidates: rank among the similar photos (0 = most similar).</summary>
    public int? Rank { get; init; }

    /// <summary>Retrieval candidates: the database photo's id.</summary>
    public string? ReferenceId { get; init; }

    /// <summary>Retrieval candidates: the photo's similarity to the query (the store's score); the consensus verifier weighs by it.</summary>
    public double? Similarity { get; init; }

    public bool IsValid => Point is not null && Outcome == ParseOutcome.Parsed;

    public static Candidate FromReference(ReferencePhoto reference, int rank) => new()
    {
        Source = CandidateSource.Retrieval,
        Point = reference.Point,
        Rank = rank,
        ReferenceId = reference.Id,
        Similarity = reference.Similarity,
    };

    public static Candidate FromLmm(PromptVariant variant, int sampleIndex, GeoPoint point, string rawText) => new()
    {
        Source = CandidateSource.Lmm,
        Point = point,
        Variant = variant,
        SampleIndex = sampleIndex,
        RawText = rawText,
    };

    public static Candidate LmmFailure(PromptVariant variant, int sampleIndex, ParseOutcome outcome, string? rawText, string error) => new()
    {
        Source = CandidateSource.Lmm,
        Outcome = outcome,
        Variant = variant,
        SampleIndex = sampleIndex,
        RawText = rawText,
        Error = error,
    };
}

/// <summary>A candidate with the verifier's score (higher is better) and its rank after verification.</summary>
public sealed record ScoredCandidate(Candidate Candidate, double? Score, int Rank);
