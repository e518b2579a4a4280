using G3.Alignment.Encoders;
using G3.Alignment.Imaging;
using G3.Alignment.Imaging.Preprocessing;
using G3.Alignment.Onnx;
using G3.Core.Ports;

namespace G3.Alignment.Tests.Encoders;

/// <summary>Bytes → decode → CLIP preprocessing → ONNX, through the real codecs and runtime.</summary>
public sealed class ImageEncoderTests : IDisposable
{
    private static readonly string Manifest = TestPaths.Fixture("onnx", "image-fixture", "manifest.json");
    private readonly ImageEncoder _encoder = ImageEncoder.Open(Manifest);

    private static QueryImage Image(string name) => new(File.ReadAllBytes(TestPaths.Fixture("images", name)));

    private static string[] Photos() => Directory.GetFiles(TestPaths.Fixture("images"), "*.jpg")
        .Select(Path.GetFileName).Where(n => !n!.Contains("trunc", StringComparison.Ordinal)).Take(3).ToArray()!;

    [Fact]
    public async Task Encodes_bytes_exactly_as_preprocessing_then_the_model()
    {
        var name = Photos()[0];
        var bytes = File.ReadAllBytes(TestPaths.Fixture("images", name));
        var tensor = new ClipPreprocessor().Preprocess(bytes);
        using var model = OnnxImageModel.Open(Manifest);
        var expected = (await model.EncodeAsync(tensor, 1, default))[0];

        var actual = await ((IImageEncoder)_encoder).EncodeAsync(new QueryImage(bytes), default);

        Assert.Equal(expected.Retrieval, actual.Retrieval);
        Assert.Equal(expected.Gps, actual.Gps);
        Assert.Equal(48, actual.Retrieval.Length);
        Assert.Equal(64, actual.Gps.Length);
    }

    [Fact]
    public async Task A_batch_gives_the_same_embeddings_as_single_images()
    {
        var images = Photos().Select(Image).ToList();
        var batch = await _encoder.EncodeBatchAsync(images, default);
        for (var i = 0; i < images.Count; i++)
        {
            var single = await ((IImageEncoder)_encoder).EncodeAsync(images[i], default);
            Assert.All(single.Gps.Zip(batch[i].Gps), p => Assert.Equal(p.First, p.Second, 5));
        }
    }

    [Fact]
    public async Task A_bad_image_surfaces_as_the_typed_decode_error()
    {
        var images = new List<QueryImage> { Image(Photos()[0]), new(new byte[] { 1, 2, 3 }) };
        var ex = await Assert.ThrowsAsync<ImageDecodeException>(() => _encoder.EncodeBatchAsync(images, default));
        Assert.Equal(ImageDecodeErrorKind.Unsupported, ex.Kind);
        await Assert.ThrowsAsync<ImageDecodeException>(() => _encoder.EncodeBatchAsync([new QueryImage(Array.Empty<byte>())], default));
    }

    [Fact]
    public async Task Pixel_limits_apply_before_decoding()
    {
        using var strict = ImageEncoder.Open(Manifest, limits: ImageLimits.Default with { MaxPixels = 100 });
        var ex = await Assert.ThrowsAsync<ImageDecodeException>(() => strict.EncodeBatchAsync([Image(Photos()[0])], default));
        Assert.Equal(ImageDecodeErrorKind.TooManyPixels, ex.Kind);
    }

    public void Dispose() => _encoder.Dispose();
}
