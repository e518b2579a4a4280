namespace G3.Alignment.Imaging.Preprocessing;

/// <summary>
/// CLIP's image preprocessing, matching torchvision's
/// <c>Resize(S, BICUBIC) → CenterCrop(S) → ToTensor() → Normalize(mean, std)</c> on a PIL image:
/// shorter side resized to S (longer side truncated, as torchvision does), centre crop (offsets
/// rounded half-to-even, as Python's round), pixels scaled to 0..1, normalised per channel, written
/// as planar CHW float32. Thread-safe.
/// </summary>
public sealed class ClipPreprocessor
{
    private readonly float[] _mean;
    private readonly float[] _std;

    public ClipPreprocessor(ClipPreprocessOptions? options = null, ImageDecoder? decoder = null)
    {
        Options = options ?? new ClipPreprocessOptions();
        var errors = Options.Validate();
        if (errors.Count > 0)
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        Decoder = decoder ?? new ImageDecoder();
        _mean = [.. Options.Mean];
        _std = [.. Options.Std];
    }

    public ClipPreprocessOptions Options { get; }

    public ImageDecoder Decoder { get; }

    /// <summary>Floats per image: 3 × InputSize × InputSize. Image i of a batch starts at i × TensorLength.</summary>
    public int TensorLength => 3 * Options.InputSize * Options.InputSize;

    /// <summary>Decodes and preprocesses one image into a new [3, S, S] array.</summary>
    public float[] Preprocess(ReadOnlySpan<byte> encoded)
    {
        var tensor = new float[TensorLength];
        Preprocess(encoded, tensor);
        return tensor;
    }

    /// <summary>
    /// Decodes and preprocesses one image into <paramref name="destination"/> (exactly <see cref="TensorLength"/> floats),
    /// holding the decoder's process-wide memory budget from decode to the end of resizing.
    /// </summary>
    public void Preprocess(ReadOnlySpan<byte> encoded, Span<float> destination)
    {
        var minShortSide = MinShortSide;
        using var reservation = Decoder.Reserve(encoded, minShortSide);
        Preprocess(Decoder.Decode(encoded, minShortSide), destination);
    }

    /// <summary>Decodes with the reduced-scale JPEG path these options allow; for callers that want the pixels too.</summary>
    public DecodedImage Decode(ReadOnlySpan<byte> encoded) => Decoder.Decode(encoded, MinShortSide);

    /// <summary>
    /// The shorter side a reduced-scale JPEG decode must keep: the opt-in factor when scaled decoding is
    /// allowed, else <see cref="ClipPreprocessOptions.LargeImageMinShortSideFactor"/> × the input size,
    /// which only images far larger than the model input reach.
    /// </summary>
    private int MinShortSide => Options.AllowScaledJpegDecode
        ? (int)Math.Ceiling(Options.InputSize * Options.ScaledDecodeMinShortSideFactor)
        : Options.LargeImageMinShortSideFactor > 0 ? Options.InputSize * Options.LargeImageMinShortSideFactor : 0;

    /// <summary>Preprocesses a decoded image into <paramref name="destination"/> (exactly <see cref="TensorLength"/> floats, CHW).</summary>
    public void Preprocess(DecodedImage image, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (destination.Length != TensorLength)
            throw new ArgumentException($"destination holds {destination.Length} floats; one image needs exactly {TensorLength} (3×{Options.InputSize}×{Options.InputSize})", nameof(destination));
        var size = Options.InputSize;
        var (width, height) = ResizedSize(image.Width, image.Height, size);
        var resized = BicubicResampler.Resize(image, width, height);
        // torchvision's CenterCrop: int(round((dim - size) / 2.0)), Python rounding half to even.
        var top = (int)Math.Round((height - size) / 2.0, MidpointRounding.ToEven);
        var left = (int)Math.Round((width - size) / 2.0, MidpointRounding.ToEven);
        var plane = size * size;
        var rgb = resized.Rgb;
        for (var y = 0; y < size; y++)
        {
            var row = ((top + y) * width + left) * 3;
            for (var x = 0; x < size; x++)
            {
                var p = row + x * 3;
                var o = y * size + x;
                for (var c = 0; c < 3; c++)
                    destination[c * plane + o] = (rgb[p + c] / 255f - _mean[c]) / _std[c];
            }
        }
    }

    /// <summary>
    /// Decodes and preprocesses a batch into one [N, 3, S, S] buffer (N × <see cref="TensorLength"/> floats).
    /// Stops at the first undecodable image; the exception says which one.
    /// </summary>
    public void PreprocessBatch(IReadOnlyList<ReadOnlyMemory<byte>> images, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (destination.Length != (long)images.Count * TensorLength)
            throw new ArgumentException($"destination holds {destination.Length} floats; {images.Count} images need {(long)images.Count * TensorLength}", nameof(destination));
        for (var i = 0; i < images.Count; i++)
        {
            try
            {
                Preprocess(images[i].Span, destination.Slice(i * TensorLength, TensorLength));
            }
            catch (ImageDecodeException e) when (images.Count > 1)
            {
                throw new ImageDecodeException(e.Kind, $"image {i + 1} of {images.Count}: {e.Message}", e);
            }
        }
    }

    /// <summary>torchvision's Resize(int): shorter side to <paramref name="size"/>, longer side int(size × long / short).</summary>
    public static (int Width, int Height) ResizedSize(int width, int height, int size)
    {
        if (width <= height)
            return (size, (int)((double)size * height / width));
        return ((int)((double)size * width / height), size);
    }
}
