using System.Collections.Concurrent;
using G3.Alignment.Imaging;
using G3.Alignment.Imaging.Preprocessing;

namespace G3.Alignment.Tests.Imaging;

public sealed class ConcurrencyTests
{
    [Fact]
    public void Parallel_decodes_of_every_format_give_the_sequential_results()
    {
        var decoder = new ImageDecoder();
        string[] names = ["landscape.jpg", "cmyk.jpg", "exif_orientation_6.jpg", "portrait.png", "palette_trns.png",
            "rgba.png", "lossy.webp", "lossless_alpha.webp", "truncated.jpg", "bad_crc.png", "truncated.webp"];
        var files = names.ToDictionary(n => n, ImageFixtures.Bytes);
        var expected = names.ToDictionary(n => n, n => Outcome(decoder, files[n]));
        var mismatches = new ConcurrentBag<string>();

        Parallel.For(0, names.Length * 16, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var name = names[i % names.Length];
            if (Outcome(decoder, files[name]) != expected[name])
                mismatches.Add(name);
        });

        Assert.Empty(mismatches);
    }

    [Fact]
    public void Parallel_preprocessing_into_one_batch_buffer_matches_sequential()
    {
        var p = new ClipPreprocessor(new ClipPreprocessOptions { InputSize = 48 });
        string[] names = ["landscape.jpg", "portrait.png", "lossy.webp", "gray.jpg", "rgb16.png", "cmyk.jpg", "one_pixel.png", "progressive.jpg"];
        var sequential = new float[names.Length * p.TensorLength];
        for (var i = 0; i < names.Length; i++)
            p.Preprocess(ImageFixtures.Bytes(names[i]), sequential.AsSpan(i * p.TensorLength, p.TensorLength));

        var parallel = new float[names.Length * p.TensorLength];
        Parallel.For(0, names.Length, i =>
            p.Preprocess(ImageFixtures.Bytes(names[i]), parallel.AsSpan(i * p.TensorLength, p.TensorLength)));

        Assert.Equal(sequential, parallel);
    }

    /// <summary>A decode's result as a comparable string: dimensions and a pixel hash, or the error kind.</summary>
    private static string Outcome(ImageDecoder decoder, byte[] bytes)
    {
        try
        {
            var image = decoder.Decode(bytes);
            return $"{image.Width}x{image.Height}:{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(image.Rgb))}";
        }
        catch (ImageDecodeException e)
        {
            return e.Kind.ToString();
        }
    }
}
