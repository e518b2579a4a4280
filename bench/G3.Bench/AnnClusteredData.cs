using System.Runtime.InteropServices;

namespace G3.Bench;

/// <summary>
/// Clustered unit vectors: image embeddings have neighbourhoods, uniform random directions do not. Inside one cluster
/// every member is about equally similar to every other (no finer neighbourhoods), the hardest case for a graph's
/// near end and the easiest for cells; docs/scale.md ("One machine, HNSW") says how representative that is.
/// </summary>
internal static class Clustered
{
    public const double RowNoise = 1.0;
    public const double QueryNoise = 1.0;

    public static float[][] Centres(int dim, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, 1000).Select(_ => Unit(Enumerable.Range(0, dim).Select(_ => (float)Gaussian(random)).ToArray())).ToArray();
    }

    /// <summary>Each vector: a random centre plus Gaussian noise of total norm about <paramref name="noise"/>, normalised.</summary>
    public static void Write(string path, int count, int dim, float[][] centres, int seed, double noise)
    {
        if (File.Exists(path) && new FileInfo(path).Length == (long)count * dim * sizeof(float)) return;
        var random = new Random(seed);
        var row = new float[dim];
        var scale = noise / Math.Sqrt(dim);
        using var stream = new FileStream(path + ".tmp", FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        for (var r = 0; r < count; r++)
        {
            var centre = centres[random.Next(centres.Length)];
            for (var i = 0; i < dim; i++) row[i] = centre[i] + (float)(scale * Gaussian(random));
            stream.Write(MemoryMarshal.AsBytes(Unit(row).AsSpan()));
        }
        stream.Close();
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private static float[] Unit(float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        for (var i = 0; i < v.Length; i++) v[i] /= norm;
        return v;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
