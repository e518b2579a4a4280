namespace G3.Alignment.Imaging.Preprocessing;

/// <summary>
/// How photos become model input. Defaults are OpenAI CLIP's (ViT-L/14 at 224 px), which G3's
/// image encoder uses; a model manifest may override them.
/// </summary>
public sealed record ClipPreprocessOptions
{
    /// <summary>Side of the square model input: the shorter side is resized to this, then centre-cropped.</summary>
    public int InputSize { get; init; } = 224;

    /// <summary>Per-channel (R, G, B) mean subtracted after scaling pixels to 0..1.</summary>
    public IReadOnlyList<float> Mean { get; init; } = [0.48145466f, 0.4578275f, 0.40821073f];

    /// <summary>Per-channel (R, G, B) standard deviation divided by after subtracting the mean.</summary>
    public IReadOnlyList<float> Std { get; init; } = [0.26862954f, 0.26130258f, 0.27577711f];

    /// <summary>
    /// Let large JPEGs be decoded at 1/2, 1/4 or 1/8 scale first (several times faster, far less
    /// memory). The reduced image keeps at least <see cref="ScaledDecodeMinShortSideFactor"/> ×
    /// <see cref="InputSize"/> pixels on its shorter side, so the bicubic pass still does the final
    /// reduction. Off by default: DCT-domain scaling is not Pillow's antialiased bicubic, and on the
    /// 1600×1200 test photo it moves the normalised tensor by up to 0.18 (mean 0.007) at 1/4 scale and
    /// 0.13 (mean 0.0035) at 1/2, against 0 at full resolution. Turn it on when decode throughput
    /// matters more than bit-parity with the PIL pipeline the model was trained with.
    /// </summary>
    public bool AllowScaledJpegDecode { get; init; }

    /// <summary>Shorter side of a reduced-scale JPEG decode, as a multiple of <see cref="InputSize"/> (≥ 1).</summary>
    public double ScaledDecodeMinShortSideFactor { get; init; } = 1.0;

    /// <summary>
    /// When <see cref="AllowScaledJpegDecode"/> is off, JPEGs far larger than the model input are still
    /// decoded at reduced DCT scale, keeping at least this many × <see cref="InputSize"/> pixels on the
    /// shorter side (so at 224 px only photos with a shorter side of 3584 px or more are affected, and
    /// the bicubic pass still reduces by 8× or more). This bounds the memory and time a huge JPEG (a
    /// decompression bomb, or a 100-Mpx scan) costs. 0 turns it off. Default 8.
    /// </summary>
    public int LargeImageMinShortSideFactor { get; init; } = 8;

    /// <summary>Every problem with these options, each a sentence naming the setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (InputSize is < 1 or > 4096)
            errors.Add($"InputSize must be between 1 and 4096 pixels (got {InputSize}).");
        if (Mean is null || Mean.Count != 3)
            errors.Add("Mean must have 3 values (R, G, B).");
        if (Std is null || Std.Count != 3)
            errors.Add("Std must have 3 values (R, G, B).");
        else if (Std.Any(s => !(s > 0) || float.IsInfinity(s)))
            errors.Add("Std values must be positive and finite.");
        if (!(ScaledDecodeMinShortSideFactor >= 1.0) || double.IsInfinity(ScaledDecodeMinShortSideFactor))
            errors.Add($"ScaledDecodeMinShortSideFactor must be a finite number ≥ 1 (got {ScaledDecodeMinShortSideFactor}).");
        if (LargeImageMinShortSideFactor < 0)
            errors.Add($"LargeImageMinShortSideFactor must be 0 (off) or positive (got {LargeImageMinShortSideFactor}).");
        return errors;
    }
}
