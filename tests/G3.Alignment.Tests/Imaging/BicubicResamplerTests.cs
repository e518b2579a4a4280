using G3.Alignment.Imaging;
using G3.Alignment.Imaging.Preprocessing;

namespace G3.Alignment.Tests.Imaging;

/// <summary>Properties of the resampler; exact parity with Pillow is in ClipPreprocessorParityTests.</summary>
public sealed class BicubicResamplerTests
{
    [Fact]
    public void A_flat_image_stays_flat_at_any_size()
    {
        var flat = new DecodedImage(37, 23, [.. Enumerable.Repeat<byte[]>([10, 128, 250], 37 * 23).SelectMany(p => p)]);

        foreach (var (w, h) in new[] { (5, 3), (100, 200), (37, 7), (1, 1) })
        {
            var resized = BicubicResampler.Resize(flat, w, h);
            Assert.Equal((w, h), (resized.Width, resized.Height));
            for (var i = 0; i < resized.Rgb.Length; i += 3)
                Assert.Equal((10, 128, 250), (resized.Rgb[i], resized.Rgb[i + 1], resized.Rgb[i + 2]));
        }
    }

    [Fact]
    public void Same_size_returns_a_copy_of_the_pixels()
    {
        var image = new DecodedImage(2, 1, [1, 2, 3, 4, 5, 6]);

        var same = BicubicResampler.Resize(image, 2, 1);

        Assert.Equal(image.Rgb, same.Rgb);
        Assert.NotSame(image.Rgb, same.Rgb);
    }

    [Fact]
    public void Downscaling_a_fine_stripe_pattern_averages_it_instead_of_aliasing()
    {
        // Alternating black/white columns shrunk 8×: an antialiased filter gives mid-grey everywhere,
        // a point-sampling one would give black or white.
        var stripes = new byte[64 * 4 * 3];
        for (var y = 0; y < 4; y++)
            for (var x = 0; x < 64; x++)
                stripes.AsSpan((y * 64 + x) * 3, 3).Fill(x % 2 == 0 ? (byte)0 : (byte)255);

        var small = BicubicResampler.Resize(new DecodedImage(64, 4, stripes), 8, 4);

        Assert.All(small.Rgb.Skip(3).Take(18), v => Assert.InRange(v, 110, 145));
    }
}
