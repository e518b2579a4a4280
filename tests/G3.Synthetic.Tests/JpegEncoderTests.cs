using G3.Synthetic.Jpeg;

namespace G3.Synthetic.Tests;

public sealed class JpegEncoderTests
{
    [FactRequiringWorld]
    public void Encodes_a_complete_jpeg_and_rejects_a_wrong_buffer()
    {
        using var encoder = new JpegEncoder();
        var rgb = new byte[32 * 16 * 3];
        for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)(i * 7);
        var jpeg = encoder.Encode(rgb, 32, 16, 80);
        Assert.True(jpeg is [0xFF, 0xD8, ..] && jpeg[^2] == 0xFF && jpeg[^1] == 0xD9);
        Assert.Equal(jpeg, encoder.Encode(rgb, 32, 16, 80));
        Assert.Throws<ArgumentException>(() => encoder.Encode(rgb, 32, 17, 80));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode(rgb, 32, 16, 0));
    }
}
