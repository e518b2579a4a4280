using G3.Core.Geo;
using G3.Core.Ports;

namespace G3.Verification.Tests;

/// <summary>
/// A hand-made location encoder: a point's embedding is its unit vector on the sphere, so the inner
/// product of two embeddings is the cosine of the angle between the places. Counts its calls.
/// </summary>
internal sealed class SphereLocationEncoder : ILocationEncoder
{
    public int Calls;
    public int LastBatch;
    public int Dimension => 3;

    public static float[] Embed(GeoPoint p)
    {
        var lat = GreatCircle.DegreesToRadians(p.Latitude);
        var lon = GreatCircle.DegreesToRadians(p.Longitude);
        return [(float)(Math.Cos(lat) * Math.Cos(lon)), (float)(Math.Cos(lat) * Math.Sin(lon)), (float)Math.Sin(lat)];
    }

    public Task<EmbeddingMatrix> EncodeAsync(IReadOnlyList<GeoPoint> points, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        LastBatch = points.Count;
        return Task.FromResult(new EmbeddingMatrix(points.SelectMany(Embed).ToArray(), points.Count, 3));
    }
}
