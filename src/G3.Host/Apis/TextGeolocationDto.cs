using G3.Core.Candidates;
using G3.Core.Pipeline;
using G3.Geography;

namespace G3.Host.Apis;

/// <summary>
/// The answer to a text query: the best point and its place, the distribution over places (candidate
/// probabilities summed per reverse-geocoded place, most probable first) and over candidate locations,
/// and how the text was read.
/// </summary>
internal sealed record TextGeolocationDto(
    string Model,
    string Query,
    double Latitude,
    double Longitude,
    PlaceDto? Place,
    double Probability,
    IReadOnlyList<TextPlaceDto> Places,
    IReadOnlyList<TextCandidateDto> Candidates,
    int Tokens,
    int TruncatedTokens,
    TextTimingsDto TimingsMs)
{
    /// <summary>Places listed in the answer (the candidates behind the rest still count in the probabilities shown).</summary>
    public const int MaxPlaces = 5;

    public static TextGeolocationDto From(TextGeolocation r, string model, ReverseGeocoder? geocoder)
    {
        var lookups = r.Candidates.Select(c => geocoder?.Lookup(c.Point)).ToList();
        var places = r.Candidates.Select((c, i) => (Candidate: c, Lookup: lookups[i]))
            .GroupBy(x => x.Lookup is { } l ? PlaceDto.From(l).Description ?? "" : "", StringComparer.Ordinal)
            .Select(g =>
            {
                var best = g.First(); // candidates are best first, so each group's first is its most probable point
                return new TextPlaceDto(g.Key.Length == 0 ? null : g.Key, best.Lookup?.Place.Country, g.Sum(x => x.Candidate.Probability),
                    best.Candidate.Point.Latitude, best.Candidate.Point.Longitude, g.Count());
            })
            .OrderByDescending(p => p.Probability)
            .Take(MaxPlaces)
            .ToList();
        return new TextGeolocationDto(
            model,
            r.Text,
            r.Point.Latitude,
            r.Point.Longitude,
            lookups[0] is { } l ? PlaceDto.From(l) : null,
            r.Candidates[0].Probability,
            places,
            r.Candidates.Select(c => new TextCandidateDto(c.Point.Latitude, c.Point.Longitude, c.Probability, c.Score, c.Reference.Id, c.Reference.Similarity)).ToList(),
            r.Tokens,
            r.TruncatedTokens,
            new TextTimingsDto(r.Encode.TotalMilliseconds, r.Retrieve.TotalMilliseconds, r.Score.TotalMilliseconds, r.Total.TotalMilliseconds));
    }
}

/// <summary>A place of the text answer's distribution: its name, summed probability, its most probable point, and how many candidates fell in it.</summary>
internal sealed record TextPlaceDto(string? Description, string? Country, double Probability, double Latitude, double Longitude, int Candidates);

/// <summary>A candidate location: a retrieved reference photo's position, scored against the text's GPS embedding.</summary>
internal sealed record TextCandidateDto(double Latitude, double Longitude, double Probability, double Score, string ReferenceId, double ReferenceSimilarity);

internal sealed record TextTimingsDto(double Encode, double Retrieve, double Score, double Total);
