using System.Text;
using System.Text.Json;

namespace G3.Evaluation;

/// <summary>
/// The run's JSON-lines file: one <see cref="EvalRecord"/> per image and configuration, appended and
/// flushed as each finishes. A run killed mid-write can leave a partial last line; opening the file
/// drops it, so a rerun resumes without duplicates or lost lines.
/// </summary>
internal sealed class ResultsFile : IDisposable
{
    public const string FileName = "results.jsonl";
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();

    private ResultsFile(StreamWriter writer, IReadOnlyList<EvalRecord> existing)
    {
        _writer = writer;
        Existing = existing;
    }

    public IReadOnlyList<EvalRecord> Existing { get; }

    public static ResultsFile Open(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var existing = File.Exists(path) ? TrimAndRead(path) : [];
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        return new ResultsFile(new StreamWriter(stream, new UTF8Encoding(false)), existing);
    }

    /// <summary>Every complete record of a run folder (for re-rendering reports without any call).</summary>
    public static IReadOnlyList<EvalRecord> Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"no {FileName} in '{directory}'", path);
        return ParseLines(File.ReadAllText(path));
    }

    public void Append(EvalRecord record)
    {
        var line = JsonSerializer.Serialize(record, EvalJson.Options);
        lock (_gate)
        {
            _writer.Write(line);
            _writer.Write('\n');
            _writer.Flush();
        }
    }

    public void Dispose() => _writer.Dispose();

    private static List<EvalRecord> TrimAndRead(string path)
    {
        var text = File.ReadAllText(path);
        var end = text.LastIndexOf('\n');
        if (end < text.Length - 1)
        {
            // Drop a partial last line left by a killed run.
            using var f = new FileStream(path, FileMode.Open, FileAccess.Write);
            f.SetLength(Encoding.UTF8.GetByteCount(text.AsSpan(0, end + 1)));
            text = text[..(end + 1)];
        }
        return ParseLines(text);
    }

    private static List<EvalRecord> ParseLines(string text)
    {
        var records = new List<EvalRecord>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                if (JsonSerializer.Deserialize<EvalRecord>(line, EvalJson.Options) is { } r) records.Add(r);
            }
            catch (JsonException)
            {
                // A damaged line is redone on resume rather than trusted.
            }
        }
        return records;
    }
}
