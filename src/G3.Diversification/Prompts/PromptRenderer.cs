using System.Globalization;
using System.Text;
using G3.Core.Candidates;

namespace G3.Diversification.Prompts;

/// <summary>Fills a template with a variant's reference coordinates (and optional place text).</summary>
public sealed class PromptRenderer(PromptTemplates templates)
{
    public PromptTemplates Templates { get; } = templates;

    public string Render(IReadOnlyList<ReferencePhoto> similar, IReadOnlyList<ReferencePhoto> dissimilar, PlaceGranularity placeText)
    {
        if (similar.Count == 0)
            return Templates.ZeroShot.Trim();
        return Templates.Rag
            .Replace("{{similar}}", FormatList(similar, placeText), StringComparison.Ordinal)
            .Replace("{{dissimilar}}", dissimilar.Count == 0 ? "(none)" : FormatList(dissimilar, placeText), StringComparison.Ordinal)
            .Replace("{{count}}", similar.Count.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Trim();
    }

    /// <summary>"(48.8566, 2.3522), (45.7640, 4.8357)" or, with place text, "(48.8566, 2.3522) Paris, France; ...".</summary>
    public static string FormatList(IReadOnlyList<ReferencePhoto> references, PlaceGranularity placeText)
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
