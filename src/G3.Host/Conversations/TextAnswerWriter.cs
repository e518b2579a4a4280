using System.Globalization;
using System.Text;
using G3.Core.Pipeline;
using G3.Geography;
using G3.Host.Places;

namespace G3.Host.Conversations;

/// <summary>The assistant message for a text query: the most likely place, then the distribution's other places with their probabilities.</summary>
internal static class TextAnswerWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Answer(TextGeolocation r, ReverseGeocoder? geocoder)
    {
        var sb = new StringBuilder();
        var places = TextPlaces.Of(r, geocoder);
        var where = geocoder?.Lookup(r.Candidates[0].Point) is { } l && PlaceNames.Describe(l) is { Length: > 0 } d ? "in " + d : "here";
        var top = places.Count > 0 ? places[0].Probability : r.Candidates[0].Probability;
        sb.Append(Inv, $"From the description, the most likely place is {where} ({r.Point.Latitude:0.0000}, {r.Point.Longitude:0.0000}), probability {top:0.00}.");
        var others = places.Skip(1).Select(p => string.Create(Inv, $"{p.Description ?? $"{p.Point.Latitude:0.00}, {p.Point.Longitude:0.00}"} ({p.Probability:0.00})")).ToList();
        if (others.Count > 0)
        {
            sb.AppendLine();
            sb.Append("Other possibilities: ").Append(string.Join("; ", others)).Append('.');
        }
        if (r.TruncatedTokens > 0)
        {
            sb.AppendLine();
            sb.Append(Inv, $"Note: the description was long; the model read its first {r.Tokens - 2} tokens and left {r.TruncatedTokens} out.");
        }
        return sb.ToString();
    }
}
