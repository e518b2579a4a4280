using G3.Synthetic.Jpeg;
using G3.Synthetic.Rendering;

namespace G3.Synthetic;

/// <summary>What a generated non-place image shows.</summary>
public enum NonPlaceKind
{
    /// <summary>Per-pixel random noise.</summary>
    Noise,

    /// <summary>One flat colour.</summary>
    FlatColour,

    /// <summary>Lines of dark capital letters on a plain light background (a slide, a document).</summary>
    Text,

    /// <summary>A photo of the world turned by 90°, 180° or 270°.</summary>
    RotatedPhoto,

    /// <summary>A photo of the world with its colours inverted.</summary>
    InvertedPhoto,
}

/// <summary>
/// Images that show no place, for testing and measuring the out-of-distribution flag: noise, flat
/// colours, text on a plain background, and world photos turned or colour-inverted (a real scene's
/// statistics, but nothing a photographer takes). Deterministic from (seed, kind, index); the world
/// photos come from a stream no split uses.
/// </summary>
public sealed class NonPlaceImages
{
    private const int Stream = 40, PhotoStream = 50; // no split uses these streams
    private static readonly string[] Words = ["THE", "MODEL", "SERVICE", "PHOTO", "QUICK", "START", "API", "KEY", "USER", "GUIDE", "INDEX", "STORE", "QUERY", "VERSION", "READ", "ME"];

    private readonly SyntheticWorldGenerator _world;
    private readonly SyntheticWorldOptions _options;

    public NonPlaceImages(SyntheticWorldGenerator world, SyntheticWorldOptions options)
    {
        options.Validate();
        _world = world;
        _options = options;
    }

    public byte[] Render(NonPlaceKind kind, int index, Canvas canvas, JpegEncoder encoder)
    {
        var size = canvas.Size;
        var rng = SplitMix.Derive(_options.Seed, Stream + (int)kind, index);
        var rgb = new byte[size * size * 3];
        switch (kind)
        {
            case NonPlaceKind.Noise:
                for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)(rng.NextULong() >> 56);
                break;
            case NonPlaceKind.FlatColour:
                var c = Rgb.FromHsv(rng.NextDouble(), rng.Range(0, 1), rng.Range(0.05, 1));
                canvas.VerticalGradient(0, size, c, c);
                canvas.ToRgb24(rgb, 0, ref rng);
                break;
            case NonPlaceKind.Text:
                var paper = Rgb.FromHsv(rng.NextDouble(), rng.Range(0, 0.15), rng.Range(0.85, 1));
                canvas.VerticalGradient(0, size, paper, paper);
                var ink = Rgb.FromHsv(rng.NextDouble(), rng.Range(0, 0.6), rng.Range(0, 0.35));
                var cell = size / rng.Range(50, 110);
                for (double y = size * rng.Range(0.04, 0.12); y < size * 0.9; y += cell * rng.Range(7, 10))
                {
                    var line = string.Join(' ', Enumerable.Range(0, 2 + rng.NextInt(5)).Select(_ => Words[rng.NextInt(Words.Length)]));
                    BlockFont.Draw(canvas, line, size * rng.Range(0.03, 0.1), y, cell, ink);
                }
                canvas.ToRgb24(rgb, rng.Range(0, 3), ref rng);
                break;
            case NonPlaceKind.RotatedPhoto:
            case NonPlaceKind.InvertedPhoto:
                var photo = _world.RenderPhotoRgb(_options.Seed, PhotoStream, index, "np", _options, canvas, out _);
                if (kind == NonPlaceKind.InvertedPhoto)
                {
                    for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)(255 - photo[i]);
                }
                else
                {
                    var turns = 1 + rng.NextInt(3);
                    for (int y = 0; y < size; y++)
                        for (int x = 0; x < size; x++)
                        {
                            var (sx, sy) = turns switch { 1 => (y, size - 1 - x), 2 => (size - 1 - x, size - 1 - y), _ => (size - 1 - y, x) };
                            photo.AsSpan((sy * size + sx) * 3, 3).CopyTo(rgb.AsSpan((y * size + x) * 3, 3));
                        }
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown non-place kind");
        }
        return encoder.Encode(rgb, size, size, 90);
    }
}
