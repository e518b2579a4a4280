using G3.Alignment.Imaging;

namespace G3.Alignment.Tests.Imaging;

/// <summary>Every supported encoding decodes to the pixels PIL sees (after EXIF transpose and alpha on white).</summary>
public sealed class ImageDecoderFormatTests
{
    private readonly ImageDecoder _decoder = new();

    [Theory]
    [MemberData(nameof(ImageFixtures.DecodableImages), MemberType = typeof(ImageFixtures))]
    public void Decodes_to_the_size_and_pixels_pil_reports(string image)
    {
        var expected = ImageFixtures.Reference(image);

        var decoded = _decoder.Decode(ImageFixtures.Bytes(image));

        Assert.Equal((expected.Width, expected.Height), (decoded.Width, decoded.Height));
        Assert.Equal(decoded.Width * decoded.Height * 3, decoded.Rgb.Length);
        foreach (var s in expected.Samples)
            Assert.Equal((s[2], s[3], s[4]), ToInts(decoded.GetPixel(s[0], s[1])));
        var means = ChannelMeans(decoded);
        for (var c = 0; c < 3; c++)
            Assert.InRange(means[c], expected.ChannelMeans[c] - 0.01, expected.ChannelMeans[c] + 0.01);
    }

    [Theory]
    [InlineData("landscape.jpg", ImageFormat.Jpeg)]
    [InlineData("portrait.png", ImageFormat.Png)]
    [InlineData("lossy.webp", ImageFormat.WebP)]
    [InlineData("lossless_alpha.webp", ImageFormat.WebP)]
    public void Sniffs_the_format_from_magic_bytes(string image, ImageFormat format) =>
        Assert.Equal(format, ImageFormatSniffer.Detect(ImageFixtures.Bytes(image)));

    [Fact]
    public void Grayscale_jpeg_becomes_rgb_with_equal_channels()
    {
        var decoded = _decoder.Decode(ImageFixtures.Bytes("gray.jpg"));

        for (var i = 0; i < decoded.Rgb.Length; i += 3)
        {
            Assert.Equal(decoded.Rgb[i], decoded.Rgb[i + 1]);
            Assert.Equal(decoded.Rgb[i], decoded.Rgb[i + 2]);
        }
    }

    [Fact]
    public void Transparent_pixels_are_composited_onto_white()
    {
        // rgba.png's alpha ramps from 0 at x = 0 to opaque at x ≥ 150.
        var decoded = _decoder.Decode(ImageFixtures.Bytes("rgba.png"));

        Assert.Equal(((byte)255, (byte)255, (byte)255), decoded.GetPixel(0, 60));
        Assert.NotEqual(((byte)255, (byte)255, (byte)255), decoded.GetPixel(155, 60));
    }

    [Fact]
    public void Sixteen_bit_png_keeps_the_high_byte()
    {
        // Two 16-bit RGB pixels, big-endian samples: the low bytes must not leak in or round up.
        byte[] row = [0x12, 0xFF, 0xAB, 0x00, 0x7F, 0x80, /**/ 0x00, 0xFF, 0xFF, 0xFF, 0x01, 0x01];
        var png = TestPng.Build(2, 1, bitDepth: 16, colorType: 2, [row]);

        var decoded = _decoder.Decode(png);

        Assert.Equal(((byte)0x12, (byte)0xAB, (byte)0x7F), decoded.GetPixel(0, 0));
        Assert.Equal(((byte)0x00, (byte)0xFF, (byte)0x01), decoded.GetPixel(1, 0));
    }

    [Fact]
    public void Half_transparent_grey_alpha_png_blends_halfway_to_white()
    {
        // Grey+alpha 8-bit: value 0 at alpha 128 → (0·128 + 255·127 + 127) / 255 = 127.
        var png = TestPng.Build(1, 1, bitDepth: 8, colorType: 4, [[0, 128]]);

        Assert.Equal(((byte)127, (byte)127, (byte)127), _decoder.Decode(png).GetPixel(0, 0));
    }

    [Fact]
    public void One_pixel_image_decodes()
    {
        var decoded = _decoder.Decode(ImageFixtures.Bytes("one_pixel.png"));

        Assert.Equal((1, 1), (decoded.Width, decoded.Height));
        Assert.Equal(((byte)200, (byte)40, (byte)90), decoded.GetPixel(0, 0));
    }

    private static (int, int, int) ToInts((byte R, byte G, byte B) p) => (p.R, p.G, p.B);

    private static double[] ChannelMeans(DecodedImage image)
    {
        var sums = new double[3];
        for (var i = 0; i < image.Rgb.Length; i++)
            sums[i % 3] += image.Rgb[i];
        var n = (double)image.Width * image.Height;
        return [sums[0] / n, sums[1] / n, sums[2] / n];
    }
}
