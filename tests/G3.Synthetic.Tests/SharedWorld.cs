using G3.Geography;

namespace G3.Synthetic.Tests;

/// <summary>One geocoder and one tiny generated world, shared by the tests of this assembly.</summary>
internal static class SharedWorld
{
    public static readonly SyntheticWorldOptions Tiny = new() { Seed = 42, DatabaseCount = 40, QueryCount = 12, ImageSize = 64 };

    private static readonly Lazy<ReverseGeocoder> LazyGeocoder = new(() => ReverseGeocoder.Load(TestPaths.InRepo(".deps", "geodata")));
    private static readonly Lazy<string> LazyWorld = new(() => GenerateTo(Tiny));

    public static ReverseGeocoder Geocoder => LazyGeocoder.Value;

    /// <summary>The tiny world with seed 42, generated once.</summary>
    public static string World => LazyWorld.Value;

    private static readonly List<string> Created = [];

    static SharedWorld() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        // Generated worlds live in the temp folder; remove them when the test run ends.
        lock (Created)
            foreach (var dir in Created)
                try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    };

    public static string GenerateTo(SyntheticWorldOptions options)
    {
        var parent = Path.Combine(Path.GetTempPath(), "g3-synth-test-" + Guid.NewGuid().ToString("N"));
        lock (Created) Created.Add(parent);
        var dir = Path.Combine(parent, "world");
        new SyntheticWorldGenerator(Geocoder).Generate(dir, options);
        return dir;
    }

    public static List<Dictionary<string, string>> ReadCsv(string path, out string[] header)
    {
        var lines = File.ReadAllLines(path);
        header = SplitCsvLine(lines[0]);
        var rows = new List<Dictionary<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            var fields = SplitCsvLine(line);
            Assert.Equal(header.Length, fields.Length);
            rows.Add(header.Zip(fields).ToDictionary(p => p.First, p => p.Second));
        }
        return rows;
    }

    /// <summary>RFC 4180 fields (quoted fields may hold commas and doubled quotes).</summary>
    private static string[] SplitCsvLine(string line)
    {
        var fields = new List<string>();
        var sb = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else sb.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        fields.Add(sb.ToString());
        return [.. fields];
    }
}
