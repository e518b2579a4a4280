using System.Globalization;
using System.Text;
using G3.Host.Apis;

namespace G3.Host.Conversations;

/// <summary>The assistant message for a text query: the most likely place, then the distribution's other places with their probabilities.</summary>
internal static class TextAnswerWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Answer(TextGeolocationDto r)
    {
        var sb = new StringBuilder();
        var where = r.Place?.Description is { Length: > 0 } d ? "in " + d : "here";
        var top = r.Places.Count > 0 ? r.Places[0].Probability : r.Probability;
        sb.Append(Inv, $"From the description, the most likely place is {where} ({r.Latitude:0.0000}, {r.Longitude:0.0000}), probability {top:0.00}.");
        var others = r.Places.Skip(1).Select(p => string.Create(Inv, $"{p.Description ?? $"{p.Latitude:0.00}, {p.Longitude:0.00}"} ({p.Probability:0.00})")).ToList();
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
