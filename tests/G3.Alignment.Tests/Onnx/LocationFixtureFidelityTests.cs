using System.Text.Json;
using G3.Alignment.Onnx;
using G3.Core.Geo;

namespace G3.Alignment.Tests.Onnx;

/// <summary>
/// The C# location encoder (projection in G3.Core + ONNX Runtime from its NuGet package) reproduces the
/// PyTorch model that tools/onnx/make_location_fixture.py exported, for poles, the antimeridian, the
/// equator, Paris and random points, under both projections.
/// </summary>
public sealed class LocationFixtureFidelityTests
{
    private const double Tolerance = 1e-4;

    [Fact]
    public Task Mercator_encoder_reproduces_pytorch() => Reproduces("mercator", LocationProjection.Mercator);

    [Fact]
    public Task Equal_earth_encoder_reproduces_pytorch() => Reproduces("equal-earth", LocationProjection.EqualEarth);

    [Theory]
    [InlineData("mercator", LocationProjection.Mercator)]
    [InlineData("equal-earth", LocationProjection.EqualEarth)]
    public void Projection_matches_the_fixture_script(string suffix, LocationProjection projection)
    {
        var (points, projected, _) = Reference(suffix);
        for (var i = 0; i < points.Length; i++)
        {
            var (first, second) = ProjectionMath.ToModelInput(points[i], projection);
            // The script rounds to float32 once, as the encoder does: the float32 inputs must be identical.
            Assert.Equal(projected[i][0], (float)first);
            Assert.Equal(projected[i][1], (float)second);
        }
    }

    [Fact]
    public async Task Batch_size_does_not_change_the_embeddings()
    {
        var (points, _, _) = Reference("mercator");
        using var encoder = OnnxLocationEncoder.Open(OnnxFixtures.MercatorManifest);
        var all = await encoder.EncodeAsync(points, CancellationToken.None);
        foreach (var size in new[] { 1, 7, 64 })
        {
            for (var start = 0; start + size <= points.Length; start += 97)
            {
                var part = await encoder.EncodeAsync(points[start..(start + size)], CancellationToken.None);
                for (var r = 0; r < size; r++)
                    Assert.True(OnnxFixtures.MaxAbsDiff(all.Row(start + r), part.Row(r)) < 1e-6, $"row {start + r} differs at batch {size}");
            }
        }
    }

    private static async Task Reproduces(string suffix, LocationProjection projection)
    {
        var (points, _, expected) = Reference(suffix);
        using var encoder = OnnxLocationEncoder.Open(Path.Combine(OnnxFixtures.LocationDir, $"manifest.{suffix}.json"));
        Assert.Equal(projection, encoder.Projection);
        Assert.Equal(64, encoder.Dimension);

        var embeddings = await encoder.EncodeAsync(points, CancellationToken.None);

        Assert.Equal(points.Length, embeddings.Rows);
        var worst = 0.0;
        var worstRow = -1;
        for (var i = 0; i < points.Length; i++)
        {
            var diff = OnnxFixtures.MaxAbsDiff(embeddings.Row(i), expected[i]);
            if (diff > worst) (worst, worstRow) = (diff, i);
        }
        Assert.True(worst < Tolerance, $"max |C# − PyTorch| = {worst:E2} at {points[Math.Max(0, worstRow)]}");
        // The rows are unit vectors as the manifest asks (normalize: true).
        var norm = Math.Sqrt(embeddings.Row(14).ToArray().Sum(v => (double)v * v));
        Assert.Equal(1.0, norm, 5);
    }

    private static (GeoPoint[] Points, float[][] Projected, float[][] Embeddings) Reference(string suffix)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(OnnxFixtures.LocationDir, $"reference.{suffix}.json")));
        var root = doc.RootElement;
        var points = root.GetProperty("points").EnumerateArray()
            .Select(p => new GeoPoint(p[0].GetDouble(), p[1].GetDouble())).ToArray();
        return (points, OnnxFixtures.ReadRows(root.GetProperty("projected")), OnnxFixtures.ReadRows(root.GetProperty("embeddings")));
    }
}
