using System.Text;
using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Retrieval.Mp16;

namespace G3.Retrieval.Tests.Mp16;

public sealed class Mp16CsvReaderTests
{
    private static async Task<(List<Mp16Record> Records, List<Mp16RowError> Errors)> Read(string csv)
    {
        var errors = new List<Mp16RowError>();
        var records = new List<Mp16Record>();
        await foreach (var record in Mp16CsvReader.ReadAsync(new StringReader(csv), "test.csv", errors.Add))
            records.Add(record);
        return (records, errors);
    }

    [Fact]
    public async Task Reads_required_and_place_columns_in_any_order_and_case_ignoring_unknown_ones()
    {
        const string csv =
            "country,lon,Img_Id,AUTHOR,lat,City,neighbourhood,state,county,region,continent\n" +
            "France,4.83,a1/b2/123456.jpg,someone,45.76,Lyon,Vieux Lyon,Auvergne-Rhône-Alpes,Rhône,Metropolitan France,Europe\n" +
            "Japan,139.69,c3/d4/1.jpg,other,35.68,,,,,,\n";
        var (records, errors) = await Read(csv);
        Assert.Empty(errors);
        Assert.Equal(2, records.Count);
        Assert.Equal(new Mp16Record("a1/b2/123456.jpg", new GeoPoint(45.76, 4.83),
            new Place("Vieux Lyon", "Lyon", "Rhône", "Auvergne-Rhône-Alpes", "Metropolitan France", "France", "Europe"), 2), records[0]);
        Assert.Equal(new Place(Country: "Japan"), records[1].Place);
        Assert.Equal(3, records[1].Line);
    }

    [Fact]
    public async Task A_file_with_only_the_required_columns_gives_records_without_place()
    {
        var (records, errors) = await Read("IMG_ID,LAT,LON\r\nx.jpg,-33.9,151.2\r\n");
        Assert.Empty(errors);
        var record = Assert.Single(records);
        Assert.Null(record.Place);
        Assert.Equal(new GeoPoint(-33.9, 151.2), record.Point);
    }

    [Fact]
    public async Task Quoted_fields_may_hold_commas_quotes_and_line_breaks()
    {
        const string csv =
            "IMG_ID,LAT,LON,city,country\r\n" +
            "\"a,b.jpg\",1,2,\"Washington, D.C.\",\"The \"\"US\"\"\"\r\n" +
            "c.jpg,3,4,\"two\r\nlines\",\"\"\r\n" +
            "d.jpg,5,6,plain,x\r\n";
        var (records, errors) = await Read(csv);
        Assert.Empty(errors);
        Assert.Equal(3, records.Count);
        Assert.Equal("a,b.jpg", records[0].Id);
        Assert.Equal("Washington, D.C.", records[0].Place!.City);
        Assert.Equal("The \"US\"", records[0].Place!.Country);
        Assert.Equal("two\r\nlines", records[1].Place!.City);
        Assert.Null(records[1].Place!.Country);
        // Line numbers are physical: the multi-line record starts on line 3, the next on line 5.
        Assert.Equal([2L, 3L, 5L], records.Select(r => r.Line));
    }

    [Fact]
    public async Task Bad_rows_are_reported_with_their_line_and_skipped()
    {
        const string csv =
            "IMG_ID,LAT,LON,city\n" +
            "ok1.jpg,10,20,A\n" +          // 2
            ",10,20,B\n" +                 // 3 empty id
            "bad-lat.jpg,north,20,C\n" +   // 4
            "far.jpg,91,20,D\n" +          // 5
            "wrap.jpg,10,180.5,E\n" +      // 6
            "short.jpg,10\n" +             // 7
            "long.jpg,10,20,F,extra\n" +   // 8
            "\n" +                         // 9 blank: skipped silently
            "nan.jpg,NaN,20,G\n" +         // 10
            "ok2.jpg,-90,-180,H\n";        // 11
        var (records, errors) = await Read(csv);
        Assert.Equal(["ok1.jpg", "ok2.jpg"], records.Select(r => r.Id));
        Assert.Equal([3L, 4L, 5L, 6L, 7L, 8L, 10L], errors.Select(e => e.Line));
        Assert.Contains("IMG_ID is empty", errors[0].Reason);
        Assert.Contains("LAT 'north'", errors[1].Reason);
        Assert.Contains("outside -90..90", errors[2].Reason);
        Assert.Contains("LON 180.5", errors[3].Reason);
        Assert.Contains("expected 4 fields", errors[4].Reason);
        Assert.Contains("found 5", errors[5].Reason);
    }

    [Fact]
    public async Task An_unclosed_quote_is_reported_not_swallowed()
    {
        var (records, errors) = await Read("IMG_ID,LAT,LON\na.jpg,1,2\n\"b.jpg,3,4\nc.jpg,5,6\n");
        Assert.Single(records);
        var error = Assert.Single(errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("never closed", error.Reason);
    }

    [Theory]
    [InlineData("IMG_ID,LAT\na,1\n", "LON")]
    [InlineData("id,latitude,longitude\na,1,2\n", "IMG_ID, LAT, LON")]
    [InlineData("", "empty")]
    public async Task A_missing_required_header_is_a_clear_error(string csv, string expected)
    {
        var error = await Assert.ThrowsAsync<Mp16FormatException>(() => Read(csv));
        Assert.Contains(expected, error.Message);
        Assert.Contains("test.csv", error.Message);
    }

    [Fact]
    public async Task Reads_a_file_larger_than_the_buffer_as_a_stream()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mp16-{Guid.NewGuid():N}.csv");
        try
        {
            // A BOM, CRLF endings and quoted fields straddling the 64 KiB buffer boundaries.
            await using (var writer = new StreamWriter(path, false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)))
            {
                await writer.WriteAsync("IMG_ID,LAT,LON,city\r\n");
                for (var i = 0; i < 20_000; i++)
                    await writer.WriteAsync($"img/{i}.jpg,{i % 180 - 89},{i % 360 - 179},\"City, {i}\"\r\n");
            }
            var count = 0;
            var errors = new List<Mp16RowError>();
            await foreach (var record in Mp16CsvReader.ReadAsync(path, errors.Add))
            {
                Assert.Equal($"img/{count}.jpg", record.Id);
                Assert.Equal($"City, {count}", record.Place!.City);
                Assert.Equal(count + 2, record.Line);
                count++;
            }
            Assert.Empty(errors);
            Assert.Equal(20_000, count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Enumeration_stops_when_cancelled()
    {
        using var cts = new CancellationTokenSource();
        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            var csv = "IMG_ID,LAT,LON\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"{i}.jpg,1,2\n"));
            await foreach (var _ in Mp16CsvReader.ReadAsync(new StringReader(csv), "test.csv", null, cts.Token))
            {
                if (++seen == 3) await cts.CancelAsync();
            }
        });
        Assert.Equal(3, seen);
    }
}
