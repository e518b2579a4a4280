using G3.Alignment.Imaging;

namespace G3.Alignment.Tests.Imaging;

public sealed class ExifOrientationTests
{
    private readonly ImageDecoder _decoder = new();

    [Theory]
    [InlineData("exif_orientation_3.jpg", 3)]
    [InlineData("exif_orientation_6.jpg", 6)]
    [InlineData("exif_orientation_8.jpg", 8)]
    [InlineData("landscape.jpg", 1)]
    public void Reads_the_orientation_tag(string image, int orientation) =>
        Assert.Equal(orientation, ExifOrientation.ReadFromJpeg(ImageFixtures.Bytes(image)));

    [Fact]
    public void Rotated_photos_come_out_upright_with_swapped_dimensions()
    {
        // The three files hold the same 160×120 pixels with different orientation tags.
        var rotated180 = _decoder.Decode(ImageFixtures.Bytes("exif_orientation_3.jpg"));
        var clockwise = _decoder.Decode(ImageFixtures.Bytes("exif_orientation_6.jpg"));
        var counterClockwise = _decoder.Decode(ImageFixtures.Bytes("exif_orientation_8.jpg"));

        Assert.Equal((160, 120), (rotated180.Width, rotated180.Height));
        Assert.Equal((120, 160), (clockwise.Width, clockwise.Height));
        Assert.Equal((120, 160), (counterClockwise.Width, counterClockwise.Height));
        // Stored pixel (0, 0) ends at the bottom-right (3), top-right (6), bottom-left (8).
        Assert.Equal(rotated180.GetPixel(159, 119), StoredTopLeft());
        Assert.Equal(clockwise.GetPixel(119, 0), StoredTopLeft());
        Assert.Equal(counterClockwise.GetPixel(0, 159), StoredTopLeft());
    }

    private (byte, byte, byte) StoredTopLeft()
    {
        // Orientation 3 rotated by 180° again gives the stored pixels back.
        var stored = ExifOrientation.Apply(_decoder.Decode(ImageFixtures.Bytes("exif_orientation_3.jpg")), 3);
        return stored.GetPixel(0, 0);
    }

    [Theory]
    // A 3×2 image with pixels numbered 1..6 row by row:  1 2 3 / 4 5 6.
    [InlineData(1, 3, 2, new byte[] { 1, 2, 3, 4, 5, 6 })]
    [InlineData(2, 3, 2, new byte[] { 3, 2, 1, 6, 5, 4 })]
    [InlineData(3, 3, 2, new byte[] { 6, 5, 4, 3, 2, 1 })]
    [InlineData(4, 3, 2, new byte[] { 4, 5, 6, 1, 2, 3 })]
    [InlineData(5, 2, 3, new byte[] { 1, 4, 2, 5, 3, 6 })]
    [InlineData(6, 2, 3, new byte[] { 4, 1, 5, 2, 6, 3 })]
    [InlineData(7, 2, 3, new byte[] { 6, 3, 5, 2, 4, 1 })]
    [InlineData(8, 2, 3, new byte[] { 3, 6, 2, 5, 1, 4 })]
    public void Applies_each_orientation_as_the_exif_spec_defines(int orientation, int width, int height, byte[] expected)
    {
        var image = new DecodedImage(3, 2, [.. new byte[] { 1, 2, 3, 4, 5, 6 }.SelectMany(v => new[] { v, v, v })]);

        var upright = ExifOrientation.Apply(image, orientation);

        Assert.Equal((width, height), (upright.Width, upright.Height));
        Assert.Equal(expected, upright.Rgb.Where((_, i) => i % 3 == 0).ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x04, 0x45, 0x78 })]                                   // APP1 cut short
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 0x45, 0x78, 0x69, 0x66, 0, 0 })]                // length past the end
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x10, 0x45, 0x78, 0x69, 0x66, 0, 0, 0x49, 0x49, 0x2A, 0, 0xFF, 0xFF, 0xFF, 0x7F })] // IFD offset past the end
    [InlineData(new byte[] { 0xFF, 0xD8 })]
    public void Malformed_exif_means_upright_not_an_error(byte[] jpegStart) =>
        Assert.Equal(1, ExifOrientation.ReadFromJpeg(jpegStart));
}
