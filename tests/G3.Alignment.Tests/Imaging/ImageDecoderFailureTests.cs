using G3.Alignment.Imaging;

namespace G3.Alignment.Tests.Imaging;

/// <summary>Every kind of bad input gets its typed error and a message that says what happened and what to do.</summary>
public sealed class ImageDecoderFailureTests
{
    private readonly ImageDecoder _decoder = new();

    [Theory]
    [InlineData("empty.bin", ImageDecodeErrorKind.Empty, "empty")]
    [InlineData("text.txt", ImageDecodeErrorKind.Unsupported, "looks like text")]
    [InlineData("tiny.gif", ImageDecodeErrorKind.Unsupported, "GIF")]
    [InlineData("tiny.bmp", ImageDecodeErrorKind.Unsupported, "BMP")]
    [InlineData("truncated.jpg", ImageDecodeErrorKind.Truncated, "cut short")]
    [InlineData("truncated.png", ImageDecodeErrorKind.Truncated, "cut short")]
    [InlineData("truncated.webp", ImageDecodeErrorKind.Truncated, "cut short")]
    [InlineData("bad_crc.png", ImageDecodeErrorKind.Corrupt, "checksum")]
    [InlineData("huge_header.png", ImageDecodeErrorKind.TooManyPixels, "100000×100000 = 10000 Mpx, the limit is 50 Mpx")]
    public void Bad_fixture_is_refused_with_its_kind_and_an_informative_message(string file, ImageDecodeErrorKind kind, string messagePart)
    {
        var e = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(ImageFixtures.Bytes(file)));

        Assert.Equal(kind, e.Kind);
        Assert.Contains(messagePart, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_formats_name_what_to_send_instead()
    {
        var e = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(ImageFixtures.Bytes("tiny.gif")));

        Assert.StartsWith("unsupported image format", e.Message, StringComparison.Ordinal);
        Assert.Contains("JPEG, PNG or WebP", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'h', (byte)'e', (byte)'i', (byte)'c' }, "HEIC/HEIF")]
    [InlineData(new byte[] { 0, 0, 0, 0x1C, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'a', (byte)'v', (byte)'i', (byte)'f' }, "AVIF")]
    [InlineData(new byte[] { (byte)'I', (byte)'I', 0x2A, 0, 8, 0, 0, 0 }, "TIFF")]
    [InlineData(new byte[] { 0x01, 0x02, 0x03, 0xFE }, "010203FE")]
    public void Unsupported_magic_bytes_are_named(byte[] data, string named)
    {
        var e = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(data));

        Assert.Equal(ImageDecodeErrorKind.Unsupported, e.Kind);
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Jpeg_cut_inside_its_header_is_refused_not_crashed()
    {
        var jpeg = ImageFixtures.Bytes("landscape.jpg");

        foreach (var length in new[] { 3, 20, 200, 600 })
        {
            var e = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(jpeg.AsSpan(0, length)));
            Assert.True(e.Kind is ImageDecodeErrorKind.Truncated or ImageDecodeErrorKind.Corrupt, $"{length} bytes: {e.Kind} {e.Message}");
        }
    }

    [Fact]
    public void Jpeg_with_garbage_after_the_header_is_refused_as_corrupt_or_truncated()
    {
        var jpeg = ImageFixtures.Bytes("landscape.jpg");
        var damaged = jpeg.ToArray();
        var random = new Random(7);
        for (var i = 700; i < damaged.Length - 2; i++)
            damaged[i] = (byte)random.Next(256);

        var e = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(damaged));

        Assert.True(e.Kind is ImageDecodeErrorKind.Corrupt or ImageDecodeErrorKind.Truncated, $"{e.Kind}: {e.Message}");
    }

    [Fact]
    public void Jpeg_with_stray_bytes_between_segments_decodes_like_the_clean_file()
    {
        // libjpeg warns "extraneous bytes before marker" and decodes normally; camera files do this.
        var jpeg = ImageFixtures.Bytes("landscape.jpg");
        var afterApp0 = 4 + (jpeg[4] << 8 | jpeg[5]);
        byte[] withStrayBytes = [.. jpeg.AsSpan(0, afterApp0), 0x00, 0x11, 0x22, .. jpeg.AsSpan(afterApp0)];

        Assert.Equal(_decoder.Decode(jpeg).Rgb, _decoder.Decode(withStrayBytes).Rgb);
    }

    [Fact]
    public void Twelve_bit_jpeg_is_an_unsupported_variant()
    {
        var jpeg = ImageFixtures.Bytes("landscape.jpg").ToArray();
        var sof = Enumerable.Range(2, jpeg.Length - 3).First(i => jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0);
        jpeg[sof + 4] = 12; // sample precision

        var e = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(jpeg));

        Assert.Equal(ImageDecodeErrorKind.Unsupported, e.Kind);
        Assert.Contains("precision 12", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Png_and_webp_with_only_their_signature_are_refused()
    {
        byte[] pngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        byte[] webpHeader = [.. "RIFF"u8, 0xFF, 0, 0, 0, .. "WEBP"u8];

        Assert.Equal(ImageDecodeErrorKind.Truncated, Assert.Throws<ImageDecodeException>(() => _decoder.Decode(pngSignature)).Kind);
        Assert.Equal(ImageDecodeErrorKind.Truncated, Assert.Throws<ImageDecodeException>(() => _decoder.Decode(webpHeader)).Kind);
    }

    [Fact]
    public void Every_prefix_of_every_fixture_fails_cleanly_or_decodes()
    {
        // A coarse fuzz: cut points across each file. Any outcome but a typed error or an image is a bug
        // (a native fault would kill the test host).
        foreach (var reference in ImageFixtures.References.Where(r => r.Width * r.Height < 100_000))
        {
            var bytes = ImageFixtures.Bytes(reference.Image);
            for (var cut = 1; cut < bytes.Length; cut += Math.Max(1, bytes.Length / 23))
            {
                try
                {
                    var image = _decoder.Decode(bytes.AsSpan(0, cut));
                    Assert.Equal(image.Width * image.Height * 3, image.Rgb.Length);
                }
                catch (ImageDecodeException)
                {
                }
            }
        }
    }
}
