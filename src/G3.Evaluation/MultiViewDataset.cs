namespace G3.Evaluation;

/// <summary>
/// A dataset's views file (the synthetic world's <c>multiview/views.csv</c>): for each query row (by IMG_ID) every
/// photo of its place, in view order, ';'-separated in column VIEWS. A configuration with <c>"views": N</c> asks
/// each place with its first N photos.
/// </summary>
internal sealed class MultiViewDataset
{
    private readonly Dictionary<string, string[]> _views;

    private MultiViewDataset(Dictionary<string, string[]> views) => _views = views;

    public static MultiViewDataset Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"views file '{path}' does not exist", path);
        var lines = File.ReadAllLines(path);
        var header = lines.Length == 0 ? [] : lines[0].Split(',');
        int id = Array.IndexOf(header, "IMG_ID"), views = Array.IndexOf(header, "VIEWS");
        if (id < 0 || views < 0) throw new InvalidDataException($"views file '{path}' needs the columns IMG_ID and VIEWS");
        var map = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            // File names and landmark ids hold no comma or quote, so the file needs no CSV quoting; refuse any that does.
            if (lines[i].Contains('"', StringComparison.Ordinal))
                throw new InvalidDataException($"views file '{path}' line {i + 1}: quoted fields are not supported");
            var fields = lines[i].Split(',');
            if (fields.Length != header.Length)
                throw new InvalidDataException($"views file '{path}' line {i + 1}: expected {header.Length} fields, found {fields.Length}");
            map[fields[id]] = fields[views].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        return new MultiViewDataset(map);
    }

    /// <summary>The first <paramref name="count"/> photos of the row's place; an error when it has fewer.</summary>
    public IReadOnlyList<string> ViewsOf(string imageId, int count)
    {
        if (!_views.TryGetValue(imageId, out var all))
            throw new InvalidDataException($"the views file lists no photos for '{imageId}'");
        if (all.Length < count)
            throw new InvalidDataException($"'{imageId}' has {all.Length} photos in the views file; the configuration asks for {count}");
        return all[..count];
    }
}
