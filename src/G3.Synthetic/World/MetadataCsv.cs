using System.Globalization;
using System.Text;

namespace G3.Synthetic.World;

/// <summary>
/// Writes the splits' metadata: MP16-Pro's columns for the database, IM2GPS3K's (IMG_ID, LAT, LON)
/// for the queries. RFC 4180 quoting, UTF-8 without BOM, "\n" line ends, six decimals.
/// </summary>
public static class MetadataCsv
{
    public static readonly IReadOnlyList<string> Mp16ProColumns =
        ["IMG_ID", "LAT", "LON", "neighbourhood", "city", "county", "state", "region", "country", "continent"];

    public static readonly IReadOnlyList<string> Im2Gps3kColumns = ["IMG_ID", "LAT", "LON"];

    public static void WriteMp16Pro(string path, IEnumerable<PhotoRecord> photos) =>
        Write(path, Mp16ProColumns, photos.Select(p => new[]
        {
            p.ImageId, Num(p.Latitude), Num(p.Longitude), p.Place.Neighbourhood, p.Place.City, p.Place.County,
            p.Place.State, p.Place.Region, p.Place.Country, p.Place.Continent,
        }));

    public static void WriteIm2Gps3k(string path, IEnumerable<PhotoRecord> photos) =>
        Write(path, Im2Gps3kColumns, photos.Select(p => new[] { p.ImageId, Num(p.Latitude), Num(p.Longitude) }));

    public static readonly IReadOnlyList<string> LandmarkColumns = ["IMG_ID", "landmark", "city"];

    /// <summary>Which photos show a landmark (both splits; ids are disjoint): for landmark-level evaluation.</summary>
    public static void WriteLandmarks(string path, IEnumerable<PhotoRecord> photos) =>
        Write(path, LandmarkColumns, photos.Where(p => p.LandmarkId is not null).Select(p => new[] { p.ImageId, p.LandmarkId, p.LandmarkCity }));

    private static string Num(double v) => v.ToString("F6", CultureInfo.InvariantCulture);

    private static void Write(string path, IReadOnlyList<string> header, IEnumerable<string?[]> rows)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(',', header)).Append('\n');
        foreach (var row in rows) sb.Append(string.Join(',', row.Select(Quote))).Append('\n');
        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private static string Quote(string? field)
    {
        if (string.IsNullOrEmpty(field)) return "";
        return field.AsSpan().IndexOfAny(",\"\n\r") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
