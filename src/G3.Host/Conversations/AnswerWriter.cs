using System.Globalization;
using System.Text;
using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Pipeline;
using G3.Geography;
using G3.Host.Places;

namespace G3.Host.Conversations;

/// <summary>Turns a result into the assistant message a person reads, and answers follow-up questions about it.</summary>
internal static class AnswerWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Said first when the out-of-distribution check flags the photo.</summary>
    public const string UnlikeAnything = "This photo doesn't resemble anything in the reference collection; the guess below is weak.";

    public static string Answer(GeolocationResult r, ReverseGeocoder? geocoder)
    {
        var place = geocoder?.Lookup(r.Point);
        var sb = new StringBuilder();
        if (r.OutOfDistribution is { Flagged: true })
            sb.Append(UnlikeAnything).AppendLine();
        if (Views(r) is { } views)
            sb.Append(views).AppendLine();
        sb.Append(Inv, $"{(r.Views is { Count: > 1 } ? "These photos were" : "This photo was")} most likely taken {Where(place)} ({r.Point.Latitude:0.0000}, {r.Point.Longitude:0.0000}).");
        if (r.Levels is { } levels)
            sb.AppendLine().Append(LevelsLine.Of(levels));
        sb.AppendLine();
        sb.Append(Confidence(r));
        var alternatives = Alternatives(r, geocoder);
        if (alternatives.Count > 0)
        {
            sb.AppendLine();
            sb.Append("Other possibilities: ").Append(string.Join("; ", alternatives)).Append('.');
        }
        if (r.Degraded)
        {
            sb.AppendLine();
            sb.Append("Note: the language model gave no usable answer, so this comes from similar photos alone (").Append(r.DegradedReason).Append(").");
        }
        return sb.ToString();
    }

    /// <summary>Answers a text-only follow-up from the result of the conversation's latest photo.</summary>
    public static string FollowUp(string question, GeolocationResult r, ReverseGeocoder? geocoder)
    {
        var q = question.ToUpperInvariant();
        if (q.Contains("WHY", StringComparison.Ordinal) || q.Contains("HOW", StringComparison.Ordinal) || q.Contains("SURE", StringComparison.Ordinal))
            return Why(r);
        var place = geocoder?.Lookup(r.Point);
        if (q.Contains("ELSE", StringComparison.Ordinal) || q.Contains("ALTERNATIVE", StringComparison.Ordinal) || q.Contains("OTHER", StringComparison.Ordinal))
        {
            var alternatives = Alternatives(r, geocoder);
            return alternatives.Count == 0
                ? "No other place stands out: the candidates agree with the answer."
                : "Besides " + Where(place) + ", it could be: " + string.Join("; ", alternatives) + ".";
        }
        if (q.Contains("CONTINENT", StringComparison.Ordinal))
            return place?.Place.Continent is { } continent ? $"{continent}." : "I cannot name the continent: the answer lies outside any mapped country.";
        if (q.Contains("COUNTRY", StringComparison.Ordinal))
            return place?.Place.Country is { } country ? $"{country}{(place.CountryCode is { } cc ? $" ({cc})" : "")}." : "It does not fall inside a mapped country (open water or no geography data).";
        if (q.Contains("CITY", StringComparison.Ordinal) || q.Contains("TOWN", StringComparison.Ordinal))
            return place?.Place.City is { } city ? $"Near {city}." : "It is not near a known town.";
        return Answer(r, geocoder);
    }

    /// <summary>For several photos: how many were used, and which disagree with the others, said before the answer.</summary>
    public static string? Views(GeolocationResult r)
    {
        if (r.Views is not { Count: > 1 } v) return null;
        if (!v.Disagree) return string.Create(Inv, $"Placed from {v.Count} photos together (their embeddings averaged; they look like one place).");
        var worst = v.Pairs.Where(p => p.Disagree).MinBy(p => p.Similarity)!;
        var odd = v.Outliers.Count > 0 && v.Outliers.Count < v.Count
            ? $"{Photos(v.Outliers)} {(v.Outliers.Count == 1 ? "looks" : "look")} like a different place from the others"
            : "The photos look like different places";
        return string.Create(Inv,
            $"Warning: {odd} (similarity {worst.Similarity:0.00} between photos {worst.First + 1} and {worst.Second + 1}, below the same-place threshold {v.Threshold:0.00}); the answer averages all {v.Count} photos, so it may fit none of them.");
    }

    private static string Photos(IReadOnlyList<int> indices) =>
        (indices.Count == 1 ? "photo " : "photos ") + string.Join(", ", indices.Select(i => (i + 1).ToString(Inv)));

    /// <summary>"near Rosario, Santa Fe, Argentina", "over the South Atlantic Ocean", or "at" when the point has no name.</summary>
    private static string Where(GeoLookup? place) =>
        place is not null && PlaceNames.Describe(place) is { Length: > 0 } d
            ? (place.Ocean is not null && place.Place.Country is null ? "over the " + d : "near " + d)
            : "at";

    private static string Confidence(GeolocationResult r)
    {
        if (r.Confidence is not { } c) return "Confidence: not estimated (verification was off).";
        var words = c switch { >= 0.7 => "high", >= 0.4 => "moderate", _ => "low" };
        var agree = r.Agreement is { } a ? string.Create(Inv, $"; {a.Within25Km} of {a.Total} candidates lie within 25 km of it and {a.Within750Km} within 750 km") : "";
        return string.Create(Inv, $"Confidence: {words} ({c:0.00}){agree}.");
    }

    private static string Why(GeolocationResult r)
    {
        var sb = new StringBuilder();
        var lmm = r.Ranked.Count(s => s.Candidate.Source == CandidateSource.Lmm);
        var retrieved = r.Ranked.Count - lmm;
        sb.Append(Inv, $"I compared the photo with {r.Similar.Count} similar photos whose locations are known");
        if (r.Similar.Count > 0)
        {
            var nearest = r.Similar[0];
            var named = nearest.Place?.Describe(PlaceGranularity.City) is { Length: > 0 } p ? ", " + p : "";
            sb.Append(Inv, $" (the most similar was taken at {nearest.Point.Latitude:0.00}, {nearest.Point.Longitude:0.00}{named})");
        }
        sb.Append(Inv, $", gathered {r.Ranked.Count} candidate locations ({lmm} from the language model, {retrieved} from similar photos), ");
        sb.Append("and kept the one whose location embedding best matches the photo's. ");
        sb.Append(Confidence(r));
        return sb.ToString();
    }

    /// <summary>Up to three runner-up places, each over 200 km from the answer and from each other.</summary>
    private static List<string> Alternatives(GeolocationResult r, ReverseGeocoder? geocoder)
    {
        var chosen = new List<GeoPoint> { r.Point };
        var result = new List<string>();
        foreach (var c in r.Ranked.Skip(1))
        {
            if (c.Candidate.Point is not { } p) continue;
            if (chosen.Any(x => GreatCircle.DistanceKm(x, p) < 200)) continue;
            chosen.Add(p);
            var name = geocoder?.Lookup(p) is { } l ? PlaceNames.Describe(l) : null;
            result.Add(string.Create(Inv, $"{(string.IsNullOrEmpty(name) ? "" : name + " ")}({p.Latitude:0.00}, {p.Longitude:0.00})"));
            if (result.Count == 3) break;
        }
        return result;
    }
}
