using G3.Core.Candidates;
using G3.Core.Usage;

namespace G3.Core.Ports;

/// <summary>
/// One unit of LMM work: samples [<see cref="FirstSampleIndex"/>, +<see cref="SampleCount"/>) of one
/// prompt variant. The pipeline fans these out; a generator renders the prompt, calls its provider and
/// parses the answers. <see cref="Image"/> is the first photo; <see cref="Images"/> holds every photo of the query
/// (the first included), all of which the prompt shows, up to the provider's limit.
/// </summary>
public sealed record GenerationRequest(
    QueryImage Image,
    PromptVariant Variant,
    IReadOnlyList<ReferencePhoto> Similar,
    IReadOnlyList<ReferencePhoto> Dissimilar,
    int FirstSampleIndex,
    int SampleCount,
    double? Temperature,
    PlaceGranularity PlaceText)
{
    /// <summary>Every photo of the query, <see cref="Image"/> first; one photo unless the pipeline sets several.</summary>
    public IReadOnlyList<QueryImage> Images { get; init; } = [Image];

    /// <summary>
    /// The time the generation stage gives this request (the pipeline's GenerationDeadline, which cancels it then);
    /// a generator that tries several providers plans its hand-overs inside it. Null: the caller set no deadline.
    /// </summary>
    public TimeSpan? Budget { get; init; }

    /// <summary>Where the generator records every provider call and cached answer of this request (what it cost); null: not recorded.</summary>
    public LmmCallLog? Calls { get; init; }

    /// <summary>What caches key the photos by: <see cref="PlaceQuery.Sha256"/> of <see cref="Images"/>.</summary>
    public string ImagesSha256 => Images.Count == 1 ? Images[0].Sha256 : new PlaceQuery(Images).Sha256;
}

/// <summary>Geo-diversification: turns a prompt variant into candidate locations.</summary>
public interface ICandidateGenerator
{
    /// <summary>
    /// How many samples one call can return (an OpenAI-style <c>n</c>); the pipeline splits N into
    /// requests of at most this many. 1 means every sample is its own call.
    /// </summary>
    int MaxSamplesPerCall { get; }

    /// <summary>
    /// Returns one candidate per requested sample, valid or failed (unparsable answers are candidates
    /// with <see cref="ParseOutcome.Unparsable"/>). Throws when the provider fails outright; the pipeline
    /// records that as provider errors.
    /// </summary>
    Task<IReadOnlyList<Candidate>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken);
}
