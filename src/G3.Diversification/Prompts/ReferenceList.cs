using System.Globalization;
using System.Text;
using G3.Core.Candidates;

namespace G3.Diversification.Prompts;

/// <summary>How reference photos are written into a prompt's <c>{{$similar}}</c> / <c>{{$dissimilar}}</c> variables.</summary>
public static class ReferenceList
{
    /// <summary>"(48.8566, 2.3522), (45.7640, 4.8357)" or, with place text, "(48.8566, 2.3522) Paris, France; ...".</summary>
    public static string Format(IReadOnlyList<ReferencePhoto> references, PlaceGranularity placeText)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < references.Count; i++)
        {
            var r = references[i];
            if (i > 0) sb.Append(placeText == PlaceGranularity.None ? ", " : "; ");
            sb.Append(CultureInfo.InvariantCulture, $"({r.Point.Latitude:0.0000}, {r.Point.Longitude:0.0000})");
            var text = placeText == PlaceGranularity.None ? "" : r.Place?.Describe(placeText) ?? "";
            if (text.Length > 0) sb.Append(' ').Append(text);
        }
        return sb.ToString();
    }
}
