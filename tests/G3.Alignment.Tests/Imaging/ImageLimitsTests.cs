using System.Buffers.Binary;
using G3.Alignment.Imaging;

namespace G3.Alignment.Tests.Imaging;

/// <summary>Limits are enforced from the size and the header, before any pixel is decoded.</summary>
public sealed class ImageLimitsTests
{
    [Fact]
    public void Png_header_claiming_huge_dimensions_is_refused_before_decoding()
    {
        // IHDR says 100000×100000 RGB (30 GB of pixels); the file holds 64 bytes of image data.
        // Refusing it with the declared size in the message shows the check ran on the header:
        // decoding would need the pixels allocated first.
        var png = TestPng.Build(100_000, 100_000, 8, 2, [new byte[64]]);

        var e = Assert.Throws<ImageDecodeException>(() => new ImageDecoder().Decode(png));

        Assert.Equal(ImageDecodeErrorKind.TooManyPixels, e.Kind);
        Assert.Equal("the PNG image is 100000×100000 = 10000 Mpx, the limit is 50 Mpx; downscale it before sending", e.Message);
    }

    [Fact]
    public void A_long_strip_within_the_pixel_budget_is_refused_by_the_longest_side()
    {
        var png = TestPng.Build(30_000, 10, 8, 2, [new byte[64]]);

        var e = Assert.Throws<ImageDecodeException>(() => new ImageDecoder().Decode(png));

        Assert.Equal(ImageDecodeErrorKind.TooManyPixels, e.Kind);
        Assert.Equal("the PNG image is 30000×10, the longest side allowed is 20000 pixels; downscale it before sending", e.Message);
    }

    [Fact]
    public void Pixel_count_over_the_limit_is_reported_in_megapixels()
    {
        var png = TestPng.Build(12_000, 12_000, 8, 2, [new byte[64]]);

        var e = Assert.Throws<ImageDecodeException>(() => new ImageDecoder().Decode(png));

        Assert.Equal(ImageDecodeErrorKind.TooManyPixels, e.Kind);
        Assert.Equal("the PNG image is 12000×12000 = 144 Mpx, the limit is 50 Mpx; downscale it before sending", e.Message);
    }

    [Theory]
    [InlineData("large_1600x1200.jpg", "JPEG", "1600×1200 = 1.92 Mpx, the limit is 1 Mpx")]
    [InlineData("lossy.webp", "WebP", "320×240 = 0.08 Mpx, the limit is 0.05 Mpx")]
    public void Jpeg_and_webp_headers_are_checked_too(string image, string format, string message)
    {
        var limit = image.EndsWith(".webp", StringComparison.Ordinal) ? 50_000 : 1_000_000;
        var decoder = new ImageDecoder(new ImageLimits { MaxPixels = limit });

        var e = Assert.Throws<ImageDecodeException>(() => decoder.Decode(ImageFixtures.Bytes(image)));

        Assert.Equal(ImageDecodeErrorKind.TooManyPixels, e.Kind);
        Assert.Contains($"the {format} image is {message}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encoded_size_over_the_limit_is_refused_before_sniffing()
    {
        var decoder = new ImageDecoder(new ImageLimits { MaxEncodedBytes = 1000 });

        var e = Assert.Throws<ImageDecodeException>(() => decoder.Decode(ImageFixtures.Bytes("landscape.jpg")));

        Assert.Equal(ImageDecodeErrorKind.TooLarge, e.Kind);
        Assert.Contains("the limit is 1000 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_limits_are_20_MiB_and_50_Mpx()
    {
        Assert.Equal(20L * 1024 * 1024, ImageLimits.Default.MaxEncodedBytes);
        Assert.Equal(50_000_000, ImageLimits.Default.MaxPixels);
        Assert.Empty(ImageLimits.Default.Validate());
    }

    [Fact]
    public void Invalid_limits_are_refused_when_the_decoder_is_built()
    {
        var e = Assert.Throws<ArgumentException>(() => new ImageDecoder(new ImageLimits { MaxPixels = 0, MaxDimension = -1 }));

        Assert.Contains("MaxPixels", e.Message, StringComparison.Ordinal);
        Assert.Contains("MaxDimension", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Png_whose_ihdr_width_is_zero_is_corrupt()
    {
        var png = TestPng.Build(1, 1, 8, 2, [new byte[3]]);
        // Zero the width and fix nothing else: libspng refuses it (and the CRC no longer matches).
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), 0);

        var e = Assert.Throws<ImageDecodeException>(() => new ImageDecoder().Decode(png));

        Assert.Equal(ImageDecodeErrorKind.Corrupt, e.Kind);
    }
}
