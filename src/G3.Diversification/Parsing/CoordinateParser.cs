using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using G3.Core.Candidates;
using G3.Core.Geo;

namespace G3.Diversification.Parsing;

/// <summary>The outcome of reading coordinates out of a model's free text.</summary>
public sealed record ParsedCoordinates(ParseOutcome Outcome, GeoPoint? Point, string? Error, string? Format)
{
    public static ParsedCoordinates Ok(GeoPoint p, string format) => new(ParseOutcome.Parsed, p, null, format);
    public static ParsedCoordinates Fail(ParseOutcome outcome, string error) => new(outcome, null, error, null);
}

/// <summary>
/// Turns an LMM answer into a validated point. Tried in order, first match wins:
/// a JSON object with latitude/longitude keys (also inside code fences or prose);
/// "latitude: x, longitude: y" labels; degrees–minutes–seconds or decimal degrees with N/S/E/W;
/// a bare (lat, lon) or [lat, lon] pair; comma decimals where unambiguous ("48,85; 2,35").
/// Out-of-range values, NaN and the (0, 0) placeholder are Invalid, as the reference treats them.
/// </summary>
public static partial class CoordinateParser
{
    private const RegexOptions Opts = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
    private const string Num = @"[-+−]?\d{1,3}(?:\.\d+)?";
    private const string LabelNum = @"[-+−]?\d{1,3}(?:[.,]\d+)?";

    public static ParsedCoordinates Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return ParsedCoordinates.Fail(ParseOutcome.Unparsable, "the answer is empty");

        // Unicode minus and non-breaking spaces show up in model output; normalise them once.
        var t = text.Replace('−', '-').Replace('\u00A0', ' ');

        foreach (var attempt in new Func<string, (double Lat, double Lon, string Format)?>[] { FromJson, FromLabels, FromHemispheres, FromPair, FromCommaDecimals })
        {
            if (attempt(t) is { } found)
                return Validate(found.Lat, found.Lon, found.Format);
        }
        return ParsedCoordinates.Fail(ParseOutcome.Unparsable, "no latitude/longitude found in the answer");
    }

    private static ParsedCoordinates Validate(double lat, double lon, string format)
    {
        if (!double.IsFinite(lat) || !double.IsFinite(lon))
            return ParsedCoordinates.Fail(ParseOutcome.Invalid, "coordinates are not finite numbers");
        if (lat is < -90 or > 90)
            return ParsedCoordinates.Fail(ParseOutcome.Invalid, string.Create(CultureInfo.InvariantCulture, $"latitude {lat} is outside -90..90"));
        if (lon is < -180 or > 180)
            return ParsedCoordinates.Fail(ParseOutcome.Invalid, string.Create(CultureInfo.InvariantCulture, $"longitude {lon} is outside -180..180"));
        if (lat == 0 && lon == 0)
            return ParsedCoordinates.Fail(ParseOutcome.Invalid, "(0, 0) is a placeholder, not a guess");
        return ParsedCoordinates.Ok(new GeoPoint(lat, lon), format);
    }

    // ---- JSON ------------------------------------------------------------------------------

    private static (double, double, string)? FromJson(string t)
    {
        foreach (Match m in JsonObject().Matches(t))
        {
            try
            {
                using var doc = JsonDocument.Parse(m.Value, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
                if (doc.RootElement.ValueKind != JsonValueKind.Object) continue;
                double? lat = null, lon = null;
                foreach (var prop in doc.RootElement.EnumerateObject())
                {
                    var key = prop.Name.Trim().ToUpperInvariant();
                    if (key is "LATITUDE" or "LAT") lat = ReadNumber(prop.Value);
                    else if (key is "LONGITUDE" or "LON" or "LNG" or "LONG") lon = ReadNumber(prop.Value);
                }
                if (lat is not null && lon is not null) return (lat.Value, lon.Value, "json");
            }
            catch (JsonException)
            {
                // Not JSON after all (prose with braces); the other readers get a chance.
            }
        }
        return null;
    }

    private static double? ReadNumber(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String when double.TryParse(e.GetString()?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => v,
        _ => null,
    };

    // ---- "latitude: 48.85, longitude: 2.35" ----------------------------------------------------

    private static (double, double, string)? FromLabels(string t)
    {
        var lat = LatLabel().Match(t);
        var lon = LonLabel().Match(t);
        if (!lat.Success || !lon.Success) return null;
        if (!TryNumber(lat.Groups["v"].Value.Replace(',', '.'), out var la) || !TryNumber(lon.Groups["v"].Value.Replace(',', '.'), out var lo)) return null;
        la = ApplyHemisphere(la, lat.Groups["h"].Value);
        lo = ApplyHemisphere(lo, lon.Groups["h"].Value);
        return (la, lo, "labels");
    }

    // ---- 48°51'24"N 2°21'8"E, 48.8566° N 2.3522° E ------------------------------------------

    private static (double, double, string)? FromHemispheres(string t)
    {
        double? lat = null, lon = null;
        foreach (Match m in Dms().Matches(t))
        {
            var value = double.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture);
            if (m.Groups["m"].Success) value += double.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture) / 60;
            if (m.Groups["s"].Success) value += double.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture) / 3600;
            var h = char.ToUpperInvariant(m.Groups["h"].Value[0]);
            if (h is 'N' or 'S') lat ??= h == 'S' ? -value : value;
            else lon ??= h == 'W' ? -value : value;
        }
        return lat is not null && lon is not null ? (lat.Value, lon.Value, "hemispheres") : null;
    }

    // ---- (48.85, 2.35) or [48.85, 2.35] or a bare "48.85, 2.35" ----------------------------------

    private static (double, double, string)? FromPair(string t)
    {
        var m = BracketPair().Match(t);
        if (!m.Success) m = BarePair().Match(t);
        if (!m.Success) return null;
        return TryNumber(m.Groups["a"].Value, out var a) && TryNumber(m.Groups["b"].Value, out var b) ? (a, b, "pair") : null;
    }

    // ---- 48,8566; 2,3522 (decimal commas, separated by something that is not a comma) -----------

    private static (double, double, string)? FromCommaDecimals(string t)
    {
        var m = CommaDecimalPair().Match(t);
        if (!m.Success) return null;
        return TryNumber(m.Groups["a"].Value.Replace(',', '.'), out var a) && TryNumber(m.Groups["b"].Value.Replace(',', '.'), out var b)
            ? (a, b, "comma-decimals")
            : null;
    }

    private static bool TryNumber(string s, out double value) =>
        double.TryParse(s.Replace('−', '-').Replace("+", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static double ApplyHemisphere(double v, string h) =>
        h.Length > 0 && char.ToUpperInvariant(h[0]) is 'S' or 'W' ? -Math.Abs(v) : v;

    [GeneratedRegex(@"\{[^{}]*\}", Opts)]
    private static partial Regex JsonObject();

    // Labelled values may use a decimal comma ("latitude: 48,8566"): the label makes it unambiguous.
    [GeneratedRegex(@"\blat(?:itude)?\b[""']?\s*[:=]?\s*(?<v>" + LabelNum + @")\s*°?\s*(?<h>[NS](?![a-z]))?", Opts)]
    private static partial Regex LatLabel();

    [GeneratedRegex(@"\b(?:lon(?:gitude)?|lng|long)\b[""']?\s*[:=]?\s*(?<v>" + LabelNum + @")\s*°?\s*(?<h>[EW](?![a-z]))?", Opts)]
    private static partial Regex LonLabel();

    [GeneratedRegex(@"(?<d>\d{1,3}(?:\.\d+)?)\s*°\s*(?:(?<m>\d{1,2}(?:\.\d+)?)\s*['′]\s*)?(?:(?<s>\d{1,2}(?:\.\d+)?)\s*(?:""|″|'')\s*)?(?<h>[NSEW])(?![a-z])", Opts)]
    private static partial Regex Dms();

    [GeneratedRegex(@"[\(\[]\s*(?<a>" + Num + @")\s*,\s*(?<b>" + Num + @")\s*[\)\]]", Opts)]
    private static partial Regex BracketPair();

    [GeneratedRegex(@"(?<![\d.,])(?<a>[-+]?\d{1,2}\.\d+)\s*,\s*(?<b>[-+]?\d{1,3}\.\d+)(?![\d.,])", Opts)]
    private static partial Regex BarePair();

    [GeneratedRegex(@"(?<![\d.,])(?<a>[-+]?\d{1,3},\d+)\s*[;/ ]\s*(?<b>[-+]?\d{1,3},\d+)(?![\d.,])", Opts)]
    private static partial Regex CommaDecimalPair();
}
