using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using G3.Core.Candidates;
using G3.Core.Geo;

namespace G3.Retrieval.Mp16;

/// <summary>
/// Streams MP16-Pro's metadata CSV as records, one row at a time (never the whole file in memory).
/// Required columns: IMG_ID, LAT, LON; optional: neighbourhood, city, county, state, region, country,
/// continent. Rows that cannot become a record (wrong field count, empty id, unparsable or
/// out-of-range coordinates, an unclosed quote) are skipped and reported to <c>onBadRow</c> with their
/// line; a file without the required header columns throws <see cref="Mp16FormatException"/>.
/// </summary>
public static class Mp16CsvReader
{
    public static async IAsyncEnumerable<Mp16Record> ReadAsync(string path, Action<Mp16RowError>? onBadRow = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true,
            new FileStreamOptions { Access = FileAccess.Read, Share = FileShare.Read, BufferSize = 1 << 16, Options = FileOptions.SequentialScan });
        await foreach (var record in ReadAsync(reader, path, onBadRow, cancellationToken))
            yield return record;
    }

    /// <param name="source">How errors name the input (a path, "request body").</param>
    public static async IAsyncEnumerable<Mp16Record> ReadAsync(TextReader reader, string source, Action<Mp16RowError>? onBadRow = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var csv = new CsvRecordReader(reader);
        var header = await csv.ReadAsync(cancellationToken)
            ?? throw new Mp16FormatException($"{source} is empty; MP16-Pro metadata starts with a header naming IMG_ID, LAT and LON");
        if (header.Error is not null)
            throw new Mp16FormatException($"{source}: the header (line {header.Line}) is unreadable: {header.Error}");
        var columns = Mp16Columns.FromHeader(header.Fields, source);

        while (await csv.ReadAsync(cancellationToken) is { } row)
        {
            // Buffered rows complete without touching the reader, so check the token per row too.
            cancellationToken.ThrowIfCancellationRequested();
            if (TryConvert(row, columns, out var record, out var error))
                yield return record;
            else
                onBadRow?.Invoke(new Mp16RowError(row.Line, error));
        }
    }

    private static bool TryConvert(CsvRow row, Mp16Columns columns, out Mp16Record record, out string error)
    {
        record = null!;
        if (row.Error is not null) { error = row.Error; return false; }
        if (row.Fields.Length != columns.FieldCount)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"expected {columns.FieldCount} fields (as in the header), found {row.Fields.Length}");
            return false;
        }
        var id = row.Fields[columns.Id].Trim();
        if (id.Length == 0) { error = "IMG_ID is empty"; return false; }
        if (!TryCoordinate(row.Fields[columns.Latitude], Mp16Columns.LatitudeColumn, 90, out var lat, out error)) return false;
        if (!TryCoordinate(row.Fields[columns.Longitude], Mp16Columns.LongitudeColumn, 180, out var lon, out error)) return false;

        var place = new string?[columns.Place.Length];
        var any = false;
        for (var i = 0; i < place.Length; i++)
        {
            var index = columns.Place[i];
            var value = index < 0 ? null : row.Fields[index].Trim();
            place[i] = string.IsNullOrEmpty(value) ? null : value;
            any |= place[i] is not null;
        }
        record = new Mp16Record(id, new GeoPoint(lat, lon),
            any ? new Place(place[0], place[1], place[2], place[3], place[4], place[5], place[6]) : null, row.Line);
        error = "";
        return true;
    }

    private static bool TryCoordinate(string text, string column, double limit, out double value, out string error)
    {
        error = "";
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
        {
            error = $"{column} '{text}' is not a number";
            return false;
        }
        if (value < -limit || value > limit)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{column} {value} is outside -{limit}..{limit} degrees");
            return false;
        }
        return true;
    }
}
