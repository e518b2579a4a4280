using G3.Core.Geo;
using G3.Core.Ports;

namespace G3.Retrieval.Tests.Embedded;

/// <summary>
/// Clustered unit vectors, the shape real image embeddings have (random directions in many dimensions have
/// no neighbourhoods for a graph index to follow): each row is one of a few dozen centres plus noise.
/// </summary>
internal static class HnswTestData
{
    public static ReferenceRecord[] Clustered(int count, int dim, int seed, int clusters = 40, double noise = 0.6)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, clusters).Select(_ => StoreTestData.RandomVector(random, dim, unit: true)).ToArray();
        return Enumerable.Range(0, count).Select(i =>
        {
            var centre = centres[random.Next(clusters)];
            var v = new float[dim];
            for (var d = 0; d < dim; d++) v[d] = centre[d] + (float)(noise * (random.NextDouble() * 2 - 1) / Math.Sqrt(dim));
            var norm = MathF.Sqrt(v.Sum(x => x * x));
            for (var d = 0; d < dim; d++) v[d] /= norm;
            return new ReferenceRecord($"hnsw/{i}.jpg", v, new GeoPoint(i % 180 - 89.5, i % 360 - 179.5));
        }).ToArray();
    }

    public static float[][] Queries(ReferenceRecord[] records, int count, int seed)
    {
        var random = new Random(seed);
        var dim = records[0].Vector.Length;
        // Near the data (a stored vector plus noise), as a photo of a place the references cover is.
        return Enumerable.Range(0, count).Select(_ =>
        {
            var basis = records[random.Next(records.Length)].Vector;
            var v = basis.Select(x => x + (float)(0.3 * (random.NextDouble() * 2 - 1) / Math.Sqrt(dim))).ToArray();
            var norm = MathF.Sqrt(v.Sum(x => x * x));
            return v.Select(x => x / norm).ToArray();
        }).ToArray();
    }
}
