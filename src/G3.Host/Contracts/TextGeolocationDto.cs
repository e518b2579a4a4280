using G3.Core.Pipeline;
using G3.Geography;
using G3.Host.Places;

namespace G3.Host.Contracts;

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
    public static TextGeolocationDto From(TextGeolocation r, string model, ReverseGeocoder? geocoder)
    {
        var places = TextPlaces.Of(r, geocoder)
            .Select(p => new TextPlaceDto(p.Description, p.Country, p.Probability, p.Point.Latitude, p.Point.Longitude, p.Candidates)).ToList();
        return new TextGeolocationDto(
            model,
            r.Text,
            r.Point.Latitude,
            r.Point.Longitude,
            geocoder?.Lookup(r.Candidates[0].Point) is { } l ? PlaceDto.From(l) : null,
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
