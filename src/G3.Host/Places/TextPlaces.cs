using G3.Core.Geo;
using G3.Core.Pipeline;
using G3.Geography;

namespace G3.Host.Places;

/// <summary>A place of a text answer's distribution: its name, summed probability, its most probable point, and how many candidates fell in it.</summary>
internal sealed record TextPlace(string? Description, string? Country, double Probability, GeoPoint Point, int Candidates);

/// <summary>
/// A text query's distribution over places: the candidates' probabilities summed per reverse-geocoded place, most
/// probable first. The API lists it and the chat answer reads it out, so both name the same places.
/// </summary>
internal static class TextPlaces
{
    /// <summary>Places listed (the candidates behind the rest still count in the probabilities shown).</summary>
    public const int MaxPlaces = 5;

    public static IReadOnlyList<TextPlace> Of(TextGeolocation r, ReverseGeocoder? geocoder) =>
        r.Candidates.Select(c => (Candidate: c, Lookup: geocoder?.Lookup(c.Point)))
            .GroupBy(x => x.Lookup is { } l ? PlaceNames.Describe(l) ?? "" : "", StringComparer.Ordinal)
            .Select(g =>
            {
                var best = g.First(); // candidates are best first, so each group's first is its most probable point
                return new TextPlace(g.Key.Length == 0 ? null : g.Key, best.Lookup?.Place.Country, g.Sum(x => x.Candidate.Probability),
                    best.Candidate.Point, g.Count());
            })
            .OrderByDescending(p => p.Probability)
            .Take(MaxPlaces)
            .ToList();
}
