using System.Globalization;
using System.Text;
using System.Text.Json;

namespace G3.Synthetic.Describing;

/// <summary>The outcome of <see cref="WorldDescriptions.Write"/>.</summary>
public sealed record WorldDescriptionsSummary(string DatabaseFile, int DatabaseCount, string QueryFile, int QueryCount);

/// <summary>
/// Writes the text descriptions of an existing synthetic world's photos (both splits) without touching
/// the world: the settings come from its world.json, every photo's scene is re-sampled from its seed
/// (no rendering), and each regenerated record is checked against the split's metadata.csv, so a world
/// made by another generator version is refused rather than described wrongly. Output, per split,
/// <c>descriptions.csv</c> with IMG_ID, LAT, LON, description (the query split's are the held-out
/// text queries).
/// </summary>
public static class WorldDescriptions
{
    public const string FileName = "descriptions.csv";
    private const int DatabaseStream = 1, QueryStream = 2;

    public static WorldDescriptionsSummary Write(SyntheticWorldGenerator generator, string worldDirectory, string outputDirectory,
        CancellationToken cancellationToken = default)
    {
        var options = ReadOptions(worldDirectory);
        var db = DescribeSplit(generator, options, DatabaseStream, options.DatabaseCount, "db_", 7,
            SyntheticWorldLayout.DatabaseMetadata(worldDirectory), cancellationToken);
        var q = DescribeSplit(generator, options, QueryStream, options.QueryCount, "q_", 6,
            SyntheticWorldLayout.QueryMetadata(worldDirectory), cancellationToken);
        var dbFile = Path.Combine(outputDirectory, SyntheticWorldLayout.DatabaseDir, FileName);
        var qFile = Path.Combine(outputDirectory, SyntheticWorldLayout.QueryDir, FileName);
        WriteCsv(dbFile, db);
        WriteCsv(qFile, q);
        return new WorldDescriptionsSummary(dbFile, db.Count, qFile, q.Count);
    }

    /// <summary>The generation settings recorded in a world's world.json.</summary>
    public static SyntheticWorldOptions ReadOptions(string worldDirectory)
    {
        var path = Path.Combine(worldDirectory, SyntheticWorldLayout.ManifestFile);
        if (!File.Exists(path)) throw new SyntheticWorldException($"{worldDirectory} is not a synthetic world (no {SyntheticWorldLayout.ManifestFile})");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var r = doc.RootElement;
            return new SyntheticWorldOptions
            {
                Seed = r.GetProperty("seed").GetInt64(),
                DatabaseCount = r.GetProperty("database").GetProperty("count").GetInt32(),
                QueryCount = r.GetProperty("queries").GetProperty("count").GetInt32(),
                ImageSize = r.GetProperty("imageSize").GetInt32(),
                RuralFraction = r.GetProperty("ruralFraction").GetDouble(),
                IndoorFraction = r.GetProperty("indoorFraction").GetDouble(),
                LandmarkFraction = r.GetProperty("landmarkFraction").GetDouble(),
                AllowOcean = r.GetProperty("allowOcean").GetBoolean(),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new SyntheticWorldException($"{path} is not a world manifest this version reads: {e.Message}");
        }
    }

    private static List<string[]> DescribeSplit(SyntheticWorldGenerator generator, SyntheticWorldOptions options, int stream, int count,
        string prefix, int digits, string metadataPath, CancellationToken ct)
    {
        var expected = ReadIdsAndCoordinates(metadataPath);
        if (expected.Count != count)
            throw new SyntheticWorldException($"{metadataPath} lists {expected.Count} photos but world.json says {count}");
        var rows = new string[count][];
        try
        {
            Parallel.For(0, count, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = options.Parallelism }, i =>
        {
            var id = prefix + i.ToString("D" + digits, CultureInfo.InvariantCulture) + ".jpg";
            var (record, text) = generator.DescribePhoto(options.Seed, stream, i, id, options);
            var lat = Num(record.Latitude);
            var lon = Num(record.Longitude);
            if (expected[i] != (id, lat, lon))
                throw new SyntheticWorldException($"{metadataPath} row {i + 1} is {expected[i]} but this generator makes ({id}, {lat}, {lon}) " +
                                                  "for it: the world was made by another generator version");
            rows[i] = [id, lat, lon, text];
        });
        }
        catch (AggregateException e) when (e.InnerException is SyntheticWorldException inner)
        {
            throw inner;
        }
        return [.. rows];
    }

    private static List<(string Id, string Lat, string Lon)> ReadIdsAndCoordinates(string path)
    {
        if (!File.Exists(path)) throw new SyntheticWorldException($"{path} does not exist");
        var list = new List<(string, string, string)>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            if (line.Length == 0) continue;
            // IMG_ID, LAT and LON come first and are never quoted (file names and fixed-point numbers).
            var parts = line.Split(',', 4);
            if (parts.Length < 3) throw new SyntheticWorldException($"{path}: malformed row '{line}'");
            list.Add((parts[0], parts[1], parts[2]));
        }
        return list;
    }

    private static string Num(double v) => v.ToString("F6", CultureInfo.InvariantCulture);

    private static void WriteCsv(string path, List<string[]> rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var sb = new StringBuilder("IMG_ID,LAT,LON,description\n");
        foreach (var row in rows)
            sb.Append(row[0]).Append(',').Append(row[1]).Append(',').Append(row[2]).Append(',')
              .Append('"').Append(row[3].Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\"\n");
        var tmp = path + ".partial";
        File.WriteAllText(tmp, sb.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(tmp, path, overwrite: true);
    }
}
