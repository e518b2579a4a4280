using G3.Core.Candidates;

namespace G3.Core.Options;

/// <summary>
/// The knobs of one G3 run. Defaults follow the paper and its reference implementation:
/// a zero-shot prompt plus RAG prompts with 5, 10 and 15 references (K = 4), N = 10 samples each,
/// S = 10 retrieved candidates, so m = K×N + S = 50 candidates.
/// </summary>
public sealed record G3Options
{
    /// <summary>Upper bounds that keep one request's cost finite (and catch typos like N = 1000).</summary>
    public const int MaxReferenceCount = 100, MaxVariants = 16, MaxSamples = 50, MaxRetrieved = 200;

    /// <summary>Reference count of each of the K prompt variants (0 = zero-shot). K is this list's length.</summary>
    public IReadOnlyList<int> ReferenceCounts { get; init; } = [0, 5, 10, 15];

    /// <summary>N: samples drawn from each prompt.</summary>
    public int SamplesPerPrompt { get; init; } = 10;

    /// <summary>S: coordinates of the top retrieved photos added as candidates.</summary>
    public int RetrievedCandidates { get; init; } = 10;

    /// <summary>Sampling temperature; null leaves the provider's default (reference: 1.2 GPT-4V, 0.7 LLaVA).</summary>
    public double? Temperature { get; init; }

    /// <summary>How much place text accompanies each reference coordinate in the prompts.</summary>
    public PlaceGranularity ReferencePlaceText { get; init; } = PlaceGranularity.None;

    /// <summary>
    /// Time allowed for the LMM stage. Generations still running then are cancelled and the request
    /// goes on with the candidates that arrived. Null: no deadline beyond the caller's token.
    /// </summary>
    public TimeSpan? GenerationDeadline { get; init; }

    public Ablations Ablations { get; init; } = Ablations.None;

    /// <summary>
    /// Weights of a several-photo query's photos in the mean embedding, one per photo in order; null = equal. Scaled
    /// to sum to 1; a weight of 0 leaves a photo out of retrieval and verification (the LMM still sees it).
    /// </summary>
    public IReadOnlyList<double>? ImageWeights { get; init; }

    public int VariantCount => ReferenceCounts.Count;

    /// <summary>Every problem with these options, each a sentence naming the setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (ReferenceCounts is null || ReferenceCounts.Count == 0)
            errors.Add("ReferenceCounts must list at least one prompt variant (use [0] for a single zero-shot prompt).");
        else
        {
            if (ReferenceCounts.Count > MaxVariants)
                errors.Add($"ReferenceCounts lists {ReferenceCounts.Count} prompt variants; at most {MaxVariants} are allowed.");
            foreach (var c in ReferenceCounts.Where(c => c < 0 || c > MaxReferenceCount).Distinct())
                errors.Add($"ReferenceCounts contains {c}; each count must be between 0 and {MaxReferenceCount}.");
        }
        if (SamplesPerPrompt is < 1 or > MaxSamples)
            errors.Add($"SamplesPerPrompt (N) is {SamplesPerPrompt}; it must be between 1 and {MaxSamples}.");
        if (RetrievedCandidates is < 0 or > MaxRetrieved)
            errors.Add($"RetrievedCandidates (S) is {RetrievedCandidates}; it must be between 0 and {MaxRetrieved}.");
        if (Temperature is { } t && (!double.IsFinite(t) || t < 0 || t > 2))
            errors.Add($"Temperature is {t}; it must be between 0 and 2.");
        if (GenerationDeadline is { } d && d <= TimeSpan.Zero)
            errors.Add($"GenerationDeadline is {d}; it must be positive (or unset for none).");
        if (ImageWeights is { } weights)
        {
            if (weights.Count > Ports.PlaceQuery.MaxImages)
                errors.Add($"ImageWeights lists {weights.Count} weights; a query holds at most {Ports.PlaceQuery.MaxImages} images.");
            if (weights.Any(w => !double.IsFinite(w) || w < 0))
                errors.Add("ImageWeights must be finite and not negative.");
            else if (weights.Count > 0 && weights.Sum() <= 0)
                errors.Add("ImageWeights must give at least one image a positive weight.");
        }
        if (Ablations is null)
            errors.Add("Ablations must not be null (use Ablations.None).");
        return errors;
    }

    /// <summary>Throws <see cref="G3OptionsException"/> listing every problem, or returns the options.</summary>
    public G3Options EnsureValid()
    {
        var errors = Validate();
        return errors.Count == 0 ? this : throw new G3OptionsException(errors);
    }
}
