namespace G3.Retrieval.Mp16;

/// <summary>
/// Where each known column sits in a given file's header (names matched case-insensitively, any order,
/// unknown columns ignored); see data/mp16pro/README.md for the schema.
/// </summary>
internal sealed class Mp16Columns
{
    public const string IdColumn = "IMG_ID";
    public const string LatitudeColumn = "LAT";
    public const string LongitudeColumn = "LON";

    /// <summary>The place columns in Place's constructor order; "neighborhood" is accepted for "neighbourhood".</summary>
    private static readonly string[][] PlaceColumns =
    [
        ["neighbourhood", "neighborhood"], ["city"], ["county"], ["state"], ["region"], ["country"], ["continent"],
    ];

    private Mp16Columns(int fieldCount, int id, int latitude, int longitude, int[] place)
    {
        FieldCount = fieldCount;
        Id = id;
        Latitude = latitude;
        Longitude = longitude;
        Place = place;
    }

    public int FieldCount { get; }
    public int Id { get; }
    public int Latitude { get; }
    public int Longitude { get; }

    /// <summary>Index of each place column, −1 when the file lacks it.</summary>
    public int[] Place { get; }

    public static Mp16Columns FromHeader(string[] header, string source)
    {
        var positions = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Length; i++)
            positions.TryAdd(header[i].Trim(), i); // the first of duplicate names wins

        var missing = new[] { IdColumn, LatitudeColumn, LongitudeColumn }.Where(c => !positions.ContainsKey(c)).ToArray();
        if (missing.Length > 0)
            throw new Mp16FormatException(
                $"{source} lacks the required column(s) {string.Join(", ", missing)}; its header has: " +
                $"{string.Join(", ", header.Select(h => h.Trim()))}. MP16-Pro metadata needs IMG_ID, LAT and LON.");

        var place = PlaceColumns
            .Select(names => names.Select(n => positions.TryGetValue(n, out var i) ? i : -1).FirstOrDefault(i => i >= 0, -1))
            .ToArray();
        return new Mp16Columns(header.Length, positions[IdColumn], positions[LatitudeColumn], positions[LongitudeColumn], place);
    }
}
