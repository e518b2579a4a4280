namespace G3.Evaluation;

/// <summary>One candidate as recorded for an experiment (enough to re-score without any call).</summary>
public sealed record EvalCandidate(string Source, double? Latitude, double? Longitude, double? Score, string Outcome, int? Variant, int? Sample, int? Rank);

/// <summary>
/// One image under one configuration: a JSON line of the run file. A request that failed outright has
/// no prediction and an <see cref="Error"/>; it counts in the denominator and is never "within" a threshold.
/// </summary>
public sealed record EvalRecord
{
    public required string Configuration { get; init; }
    public required string ImageId { get; init; }
    public required double TrueLatitude { get; init; }
    public required double TrueLongitude { get; init; }
    public double? PredictedLatitude { get; init; }
    public double? PredictedLongitude { get; init; }
    public double? ErrorKm { get; init; }
    public bool Degraded { get; init; }
    public int Unparsable { get; init; }
    public int InvalidCoordinates { get; init; }
    public int ProviderErrors { get; init; }
    public string? Error { get; init; }
    public double ElapsedMs { get; init; }
    public IReadOnlyList<EvalCandidate> Candidates { get; init; } = [];

    /// <summary>Country, region and city answers against the truth's units; null when the run had no per-level answers.</summary>
    public IReadOnlyList<EvalLevel>? Levels { get; init; }

    /// <summary>The image's LMM calls, tokens and estimated cost; null in lines written before usage was recorded, or when the request failed.</summary>
    public EvalUsage? Usage { get; init; }

    /// <summary>Photos the query was asked with (several views of one place; 1 for a plain query).</summary>
    public int Views { get; init; } = 1;

    /// <summary>For several views: the cosine similarity of every pair's retrieval embeddings (the same-place distribution).</summary>
    public IReadOnlyList<double>? ViewPairSimilarities { get; init; }
}
