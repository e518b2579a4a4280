using G3.Core.Candidates;
using G3.Core.Pipeline;
using G3.Geography;
using G3.Host.Places;

namespace G3.Host.Contracts;

/// <summary>The native API's answer: the point, the place, how sure, and every step that led there.</summary>
internal sealed record GeolocationDto(
    string Model,
    string ImageSha256,
    double Latitude,
    double Longitude,
    PlaceDto? Place,
    double? Confidence,
    OutOfDistributionDto? OutOfDistribution,
    AgreementDto? Agreement,
    LevelsDto? Levels,
    bool Degraded,
    string? DegradedReason,
    CandidateDto Best,
    IReadOnlyList<CandidateDto> Candidates,
    IReadOnlyList<CandidateDto> FailedCandidates,
    ReferencesDto References,
    TimingsDto TimingsMs,
    ViewsDto? Views = null,
    UsageDto? Usage = null)
{
    public static GeolocationDto From(GeolocationResult r, string model, ReverseGeocoder? geocoder) => new(
        model,
        r.ImageSha256,
        r.Point.Latitude,
        r.Point.Longitude,
        geocoder is null ? null : PlaceDto.From(geocoder.Lookup(r.Point)),
        r.Confidence,
        r.OutOfDistribution is { } f ? new OutOfDistributionDto(f.Flagged, f.Score, f.Threshold) : null,
        r.Agreement is { } a ? new AgreementDto(a.Within25Km, a.Within200Km, a.Within750Km, a.Total) : null,
        r.Levels is { } levels ? LevelsDto.From(levels) : null,
        r.Degraded,
        r.DegradedReason,
        CandidateDto.From(r.Best.Candidate, r.Best.Score, r.Best.Rank) with { Probability = r.Probabilities?[0] },
        r.Ranked.Select((s, i) => CandidateDto.From(s.Candidate, s.Score, s.Rank) with { Probability = r.Probabilities?[i] }).ToList(),
        r.LmmCandidates.Where(c => !c.IsValid).Select(CandidateDto.Failed).ToList(),
        new ReferencesDto(r.Similar.Select(ReferenceDto.From).ToList(), r.Dissimilar.Select(ReferenceDto.From).ToList()),
        new TimingsDto(r.Timings.Encode.TotalMilliseconds, r.Timings.Retrieve.TotalMilliseconds, r.Timings.Generate.TotalMilliseconds,
            r.Timings.Verify.TotalMilliseconds, r.Timings.Total.TotalMilliseconds),
        r.Views is { } v ? ViewsDto.From(v) : null,
        UsageDto.From(r.Usage));

    /// <summary>
    /// The failed LMM candidates' details (provider endpoints, upstream error bodies) go to the log only;
    /// the answer carries their category (<see cref="CandidateDto.Failed"/>).
    /// </summary>
    public static void LogFailedCandidates(GeolocationResult r, ILogger log)
    {
        foreach (var c in r.LmmCandidates.Where(c => !c.IsValid))
            log.LogWarning("LMM candidate (variant {Variant}, sample {Sample}) failed: {Outcome}: {Error}", c.Variant?.Index, c.SampleIndex, c.Outcome, c.Error);
    }
}

internal sealed record PlaceDto(string? Description, string? Neighbourhood, string? City, string? County, string? State, string? Country,
    string? CountryCode, string? Continent, string? Ocean)
{
    public static PlaceDto From(GeoLookup l) => new(
        PlaceNames.Describe(l),
        l.Place.Neighbourhood, l.Place.City, l.Place.County, l.Place.State, l.Place.Country, l.CountryCode, l.Place.Continent, l.Ocean);
}

/// <summary>Whether the photo is unlike anything in the reference collection: flagged when the score is below the threshold.</summary>
internal sealed record OutOfDistributionDto(bool Flagged, double Score, double Threshold);

/// <summary>
/// A several-photo query: how many photos were encoded and averaged, with which weights, every pair's similarity, and
/// whether some disagree (a pair below the model's same-place threshold); the outliers are photo indices (0-based).
/// </summary>
internal sealed record ViewsDto(int Count, IReadOnlyList<double> Weights, bool Disagree, double? Threshold, IReadOnlyList<int> Outliers, IReadOnlyList<ViewPairDto> Pairs)
{
    public static ViewsDto From(G3.Core.Views.ViewAgreement v) => new(v.Count, v.Weights, v.Disagree, v.Threshold, v.Outliers,
        v.Pairs.Select(p => new ViewPairDto(p.First, p.Second, p.Similarity, p.Disagree)).ToList());
}

internal sealed record ViewPairDto(int First, int Second, double Similarity, bool Disagree);

internal sealed record AgreementDto(int Within25Km, int Within200Km, int Within750Km, int Total);

/// <param name="Score">G3's verifier score: the image-to-GPS similarity.</param>
/// <param name="Probability">
/// The verifier's probability of this candidate (the consensus posterior, or the softmax of the scores with G3's
/// argmax); the rank follows the decision made with it, so a candidate may outrank one with a higher score.
/// </param>
internal sealed record CandidateDto(
    CandidateSource Source, double? Latitude, double? Longitude, double? Score, int? Rank, ParseOutcome Outcome,
    int? Variant, int? ReferenceCount, int? Sample, int? RetrievalRank, string? ReferenceId, string? RawText, string? Error)
{
    public double? Probability { get; init; }

    public static CandidateDto From(Candidate c, double? score, int? rank) => new(
        c.Source, c.Point?.Latitude, c.Point?.Longitude, score, rank, c.Outcome,
        c.Variant?.Index, c.Variant?.ReferenceCount, c.SampleIndex, c.Rank, c.ReferenceId, c.RawText, c.Error);

    /// <summary>A failed candidate as clients see it: the error is a category, never the internal detail.</summary>
    public static CandidateDto Failed(Candidate c) => From(c, null, null) with { Error = ErrorCategory(c.Outcome) };

    public static string ErrorCategory(ParseOutcome outcome) => outcome switch
    {
        ParseOutcome.ProviderError => "provider_error",
        ParseOutcome.Unparsable => "unparsable_answer",
        ParseOutcome.Invalid => "invalid_coordinates",
        _ => "failed",
    };
}

internal sealed record ReferencesDto(IReadOnlyList<ReferenceDto> Similar, IReadOnlyList<ReferenceDto> Dissimilar);

internal sealed record ReferenceDto(string Id, double Latitude, double Longitude, double Similarity, string? Place)
{
    public static ReferenceDto From(ReferencePhoto r) =>
        new(r.Id, r.Point.Latitude, r.Point.Longitude, r.Similarity, r.Place?.Describe(PlaceGranularity.City) is { Length: > 0 } p ? p : null);
}

internal sealed record TimingsDto(double Encode, double Retrieve, double Generate, double Verify, double Total);
