using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Retrieval.Embedded;

namespace G3.Retrieval.Tests.Embedded;

/// <summary>A fresh directory under the temp folder, deleted with the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "g3-store-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

internal static class StoreTestData
{
    public const string Model = "test-model";

    public static float[] RandomVector(Random random, int dim, bool unit = false)
    {
        var v = new float[dim];
        for (var i = 0; i < dim; i++) v[i] = (float)(random.NextDouble() * 2 - 1);
        if (unit)
        {
            var norm = MathF.Sqrt(v.Sum(x => x * x));
            for (var i = 0; i < dim; i++) v[i] /= norm;
        }
        return v;
    }

    public static ReferenceRecord[] RandomRecords(int count, int dim, int seed, bool unit = false, string prefix = "img")
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(i => new ReferenceRecord($"{prefix}/{i % 7}/{i}.jpg", RandomVector(random, dim, unit),
                new GeoPoint(random.NextDouble() * 180 - 90, random.NextDouble() * 360 - 180),
                i % 3 == 0 ? null : new Place(City: $"City {i}", Country: "Country", Continent: i % 2 == 0 ? "Europe" : null)))
            .ToArray();
    }

    /// <summary>Brute-force ranking in double precision: (id, score) best first, ties by insertion order.</summary>
    public static (string Id, double Score)[] BruteForce(IReadOnlyList<ReferenceRecord> records, float[] query, int k, bool least = false)
    {
        var scored = records.Select((r, row) => (r.Id, Score: Dot(r.Vector, query), Row: row));
        var ordered = least
            ? scored.OrderBy(x => x.Score).ThenBy(x => x.Row)
            : scored.OrderByDescending(x => x.Score).ThenBy(x => x.Row);
        return ordered.Take(k).Select(x => (x.Id, x.Score)).ToArray();
    }

    public static double Dot(float[] a, float[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }

    public static EmbeddedReferenceStore CreateStore(string dir, int dim, StoreElementType type = StoreElementType.Float32) =>
        EmbeddedReferenceStore.Create(dir, dim, Model, type);
}
