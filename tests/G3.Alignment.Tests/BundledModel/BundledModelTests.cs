using System.Numerics.Tensors;
using G3.Alignment.Encoders;
using G3.Alignment.Models;
using G3.Alignment.Onnx;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Retrieval.Mp16;

namespace G3.Alignment.Tests.BundledModel;

/// <summary>
/// The bundled g3-mini model (models/g3-mini) through the real ONNX path: manifest → ImageEncoder
/// (decode, CLIP preprocessing, ONNX) and OnnxLocationEncoder (Mercator projection in C#, ONNX).
/// The photos are training photos of the model copied from the synthetic world (seed 1) into
/// tests/fixtures/bundled/ by tools/train/make_bundled_fixtures.py: the first photo of each continent,
/// plus a second photo of the Oceania photo's city.
/// </summary>
public sealed class BundledModelTests : IClassFixture<BundledModelTests.Encoders>
{
    private const int EmbeddingDim = 128;
    private readonly Encoders _encoders;

    public BundledModelTests(Encoders encoders) => _encoders = encoders;

    public sealed class Encoders : IDisposable
    {
        public static readonly string ManifestPath = TestPaths.InRepo("models", "g3-mini", "manifest.json");

        public ImageEncoder Image { get; } = ImageEncoder.Open(ManifestPath);
        public OnnxLocationEncoder Location { get; } = OnnxLocationEncoder.Open(ManifestPath);

        public void Dispose()
        {
            Image.Dispose();
            Location.Dispose();
        }
    }

    private sealed record Photo(string File, GeoPoint Point, string City, string Continent);

    private static async Task<List<Photo>> PhotosAsync()
    {
        var photos = new List<Photo>();
        await foreach (var r in Mp16CsvReader.ReadAsync(TestPaths.Fixture("bundled", "photos.csv")))
            photos.Add(new Photo(r.Id, r.Point, r.Place!.City!, r.Place.Continent!));
        return photos;
    }

    private async Task<IReadOnlyList<ImageEmbedding>> EncodeAsync(IEnumerable<Photo> photos) =>
        await _encoders.Image.EncodeBatchAsync(
            photos.Select(p => new QueryImage(File.ReadAllBytes(TestPaths.Fixture("bundled", p.File)))).ToList(), default);

    [Fact]
    public void The_manifest_declares_both_models_as_the_verifier_needs_them()
    {
        var manifest = ModelManifestLoader.Load(Encoders.ManifestPath);

        Assert.Equal("g3-mini-v2", manifest.Id);
        var image = manifest.RequireImage();
        var location = manifest.RequireLocation();
        Assert.Equal(EmbeddingDim, image.Retrieval.Dimension);
        Assert.Equal(location.Dimension, image.Gps.Dimension);
        Assert.Equal(LocationProjection.Mercator, location.Projection);
        Assert.True(image.Retrieval.Normalize && image.Gps.Normalize && location.Normalize);
        Assert.Equal(VerificationMetric.Cosine, manifest.Verification.Metric);
        Assert.InRange(manifest.Verification.LogitScale ?? 0, 1.0, 100.0); // learned exp(t), capped at 100 as CLIP does
        Assert.True(File.Exists(manifest.ModelCardPath));
        var onnxBytes = new FileInfo(image.ModelPath).Length + new FileInfo(location.ModelPath).Length;
        Assert.InRange(onnxBytes, 1, 20L * 1024 * 1024); // the budget for committed ONNX files
    }

    [Fact]
    public async Task Photos_encode_to_unit_embeddings_of_the_declared_widths()
    {
        var embeddings = await EncodeAsync(await PhotosAsync());

        Assert.All(embeddings, e =>
        {
            Assert.Equal(EmbeddingDim, e.Retrieval.Length);
            Assert.Equal(EmbeddingDim, e.Gps.Length);
            Assert.Equal(1.0, TensorPrimitives.Norm(e.Retrieval), 4);
            Assert.Equal(1.0, TensorPrimitives.Norm(e.Gps), 4);
        });
        // Different places must not collapse onto one vector.
        Assert.True(TensorPrimitives.Dot(embeddings[0].Gps, embeddings[1].Gps) < 0.999f);
    }

    [Fact]
    public async Task Encoding_is_deterministic_across_runs_and_sessions()
    {
        var photos = (await PhotosAsync()).Take(3).ToList();
        var first = await EncodeAsync(photos);
        var again = await EncodeAsync(photos);
        using var fresh = ImageEncoder.Open(Encoders.ManifestPath);
        var other = await fresh.EncodeBatchAsync(
            photos.Select(p => new QueryImage(File.ReadAllBytes(TestPaths.Fixture("bundled", p.File)))).ToList(), default);

        for (var i = 0; i < photos.Count; i++)
        {
            Assert.Equal(first[i].Retrieval, again[i].Retrieval);
            Assert.Equal(first[i].Gps, again[i].Gps);
            Assert.Equal(first[i].Gps, other[i].Gps);
        }
    }

    [Fact]
    public async Task Locations_encode_to_unit_embeddings_and_repeat_exactly()
    {
        GeoPoint[] points = [new(51.5, -0.12), new(-33.87, 151.21), new(51.5, -0.12), new(85.0511, 179.99)];

        var embeddings = await _encoders.Location.EncodeAsync(points, default);

        Assert.Equal(points.Length, embeddings.Rows);
        Assert.Equal(EmbeddingDim, embeddings.Dimension);
        for (var i = 0; i < points.Length; i++) Assert.Equal(1.0, TensorPrimitives.Norm(embeddings.Row(i)), 4);
        Assert.True(embeddings.Row(0).SequenceEqual(embeddings.Row(2)));
        Assert.True(TensorPrimitives.Dot(embeddings.Row(0), embeddings.Row(1)) < 0.99f);
    }

    [Fact]
    public async Task Each_photo_s_gps_embedding_prefers_its_own_location_to_the_other_continents()
    {
        // One photo per continent: the verifier's score e_gps^image · e_gps must rank each photo's true
        // location above the locations of the photos taken on the other five continents.
        var photos = (await PhotosAsync()).GroupBy(p => p.Continent).Select(g => g.First()).ToList();
        Assert.Equal(6, photos.Count);
        var images = await EncodeAsync(photos);
        var locations = await _encoders.Location.EncodeAsync(photos.Select(p => p.Point).ToList(), default);

        for (var i = 0; i < photos.Count; i++)
        {
            var own = TensorPrimitives.Dot(images[i].Gps, locations.Row(i));
            for (var j = 0; j < photos.Count; j++)
            {
                if (j == i) continue;
                var other = TensorPrimitives.Dot(images[i].Gps, locations.Row(j));
                Assert.True(own > other,
                    $"{photos[i].File} ({photos[i].City}, {photos[i].Continent}) scores {photos[j].City} ({photos[j].Continent}) at {other:0.000}, above its own location at {own:0.000}");
            }
        }
    }

    [Fact]
    public async Task Two_photos_of_one_city_are_closer_in_retrieval_space_than_photos_of_other_continents()
    {
        var photos = await PhotosAsync();
        var pair = photos.Where(p => p.Continent == "Oceania").ToList();
        Assert.Equal(2, pair.Count);
        Assert.Equal(pair[0].City, pair[1].City);
        var others = photos.Where(p => p.Continent != "Oceania").ToList();
        var embeddings = await EncodeAsync([.. pair, .. others]);

        var together = TensorPrimitives.Dot(embeddings[0].Retrieval, embeddings[1].Retrieval);
        for (var k = 2; k < embeddings.Count; k++)
        {
            var apart = TensorPrimitives.Dot(embeddings[0].Retrieval, embeddings[k].Retrieval);
            Assert.True(together > apart, $"{pair[0].City} photos: {together:0.000}, but {others[k - 2].City} scores {apart:0.000}");
        }
    }
}
