using G3.Alignment.Imaging;
using G3.Alignment.Imaging.Preprocessing;

namespace G3.Alignment.Tests.Imaging;

public sealed class ClipPreprocessorTests
{
    [Fact]
    public void Defaults_are_openai_clip_at_224()
    {
        var p = new ClipPreprocessor();

        Assert.Equal(224, p.Options.InputSize);
        Assert.Equal(3 * 224 * 224, p.TensorLength);
        Assert.Equal([0.48145466f, 0.4578275f, 0.40821073f], p.Options.Mean);
        Assert.Equal([0.26862954f, 0.26130258f, 0.27577711f], p.Options.Std);
        Assert.False(p.Options.AllowScaledJpegDecode);
    }

    [Fact]
    public void Batch_fills_one_nchw_buffer_image_after_image()
    {
        var p = new ClipPreprocessor(new ClipPreprocessOptions { InputSize = 64 });
        string[] names = ["landscape.jpg", "portrait.png", "lossy.webp"];
        var buffer = new float[names.Length * p.TensorLength];

        p.PreprocessBatch([.. names.Select(n => (ReadOnlyMemory<byte>)ImageFixtures.Bytes(n))], buffer);

        for (var i = 0; i < names.Length; i++)
            Assert.Equal(p.Preprocess(ImageFixtures.Bytes(names[i])), buffer.AsSpan(i * p.TensorLength, p.TensorLength).ToArray());
    }

    [Fact]
    public void Batch_error_names_the_failing_image()
    {
        var p = new ClipPreprocessor(new ClipPreprocessOptions { InputSize = 32 });
        var buffer = new float[2 * p.TensorLength];

        var e = Assert.Throws<ImageDecodeException>(() =>
            p.PreprocessBatch([ImageFixtures.Bytes("landscape.jpg"), ImageFixtures.Bytes("text.txt")], buffer));

        Assert.Equal(ImageDecodeErrorKind.Unsupported, e.Kind);
        Assert.StartsWith("image 2 of 2: unsupported image format", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Destination_of_the_wrong_length_is_refused()
    {
        var p = new ClipPreprocessor(new ClipPreprocessOptions { InputSize = 16 });
        var image = new DecodedImage(1, 1, [0, 0, 0]);

        var e = Assert.Throws<ArgumentException>(() => p.Preprocess(image, new float[100]));
        Assert.Contains("exactly 768", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Channels_are_planar_and_normalised()
    {
        var p = new ClipPreprocessor(new ClipPreprocessOptions { InputSize = 2, Mean = [0f, 0.5f, 1f], Std = [1f, 0.5f, 0.25f] });
        var red = new DecodedImage(2, 2, [.. Enumerable.Repeat<byte[]>([255, 0, 51], 4).SelectMany(x => x)]);
        var tensor = new float[p.TensorLength];

        p.Preprocess(red, tensor);

        Assert.Equal([1f, 1f, 1f, 1f, -1f, -1f, -1f, -1f, -3.2f, -3.2f, -3.2f, -3.2f], tensor, new ToleranceComparer(1e-6f));
    }

    [Theory]
    [InlineData(320, 240, 224, 298, 224)]   // landscape: long side int(224 × 320 / 240) = 298
    [InlineData(200, 300, 224, 224, 336)]
    [InlineData(1, 1, 224, 224, 224)]
    [InlineData(225, 224, 224, 225, 224)]
    public void Resizes_the_shorter_side_like_torchvision(int w, int h, int size, int expectedW, int expectedH) =>
        Assert.Equal((expectedW, expectedH), ClipPreprocessor.ResizedSize(w, h, size));

    [Fact]
    public void Invalid_options_are_refused_with_every_problem_named()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new ClipPreprocessor(new ClipPreprocessOptions { InputSize = 0, Std = [1f, 0f, 1f], ScaledDecodeMinShortSideFactor = 0.5 }));

        Assert.Contains("InputSize", e.Message, StringComparison.Ordinal);
        Assert.Contains("Std", e.Message, StringComparison.Ordinal);
        Assert.Contains("ScaledDecodeMinShortSideFactor", e.Message, StringComparison.Ordinal);
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
