using System.Globalization;
using System.Text.Json;
using G3.Evaluation;
using G3.Geography;
using G3.Synthetic;

namespace G3.Cli;

/// <summary>
/// The synthetic query splits an experiment file names (its dataset's <c>world</c>, a store's <c>extra</c>): generated
/// when missing, as <c>g3 synth --seed S --database 1 --queries N</c> would, into a temporary folder published by
/// rename, so a killed run never leaves a half-written world that a later run would take for complete.
/// </summary>
internal static class EvalSyntheticSplits
{
    /// <summary>Generates <paramref name="split"/> into <paramref name="directory"/> unless that world is there; a folder holding another world is refused.</summary>
    public static async Task EnsureAsync(SyntheticQuerySplit split, string directory, TextWriter error, CancellationToken cancellationToken)
    {
        var manifest = Path.Combine(directory, SyntheticWorldLayout.ManifestFile);
        if (File.Exists(manifest))
        {
            var (seed, queries) = Read(manifest);
            if (seed == split.Seed && queries == split.Queries) return;
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{directory} holds the world of seed {seed} with {queries} query photos, not seed {split.Seed} with {split.Queries}; delete it or name another folder"));
        }
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
            throw new InvalidDataException($"{directory} exists but holds no synthetic world ({SyntheticWorldLayout.ManifestFile} is missing); delete it or name another folder");

        await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"eval: generating the synthetic query split of seed {split.Seed} ({split.Queries} photos) into {directory} (minutes; later runs reuse it)"));
        var partial = directory + ".partial";
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        var options = new SyntheticWorldOptions { Seed = split.Seed, DatabaseCount = 1, QueryCount = split.Queries };
        var bar = new ConsoleProgress("synth", split.Queries + 1);
        await Task.Run(() => new SyntheticWorldGenerator(ReverseGeocoder.Load()).Generate(partial, options,
            new Progress<(int Done, int Total)>(p => bar.Report(p.Done)), cancellationToken), cancellationToken);
        bar.Complete(split.Queries + 1);
        if (Directory.Exists(directory)) Directory.Delete(directory);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(directory))!);
        Directory.Move(partial, directory);
    }

    private static (long Seed, int Queries) Read(string manifest)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(manifest));
            return (json.RootElement.GetProperty("seed").GetInt64(), json.RootElement.GetProperty("queries").GetProperty("count").GetInt32());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{manifest} is not a synthetic world's manifest: {e.Message}", e);
        }
    }
}
