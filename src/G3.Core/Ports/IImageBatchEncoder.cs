namespace G3.Core.Ports;

/// <summary>
/// The image encoder split at its natural seam for bulk work: preprocessing is per image (parallel,
/// and a bad image fails alone), the model runs once per batch.
/// </summary>
public interface IImageBatchEncoder
{
    /// <summary>Floats of one preprocessed image (3·H·W).</summary>
    int TensorLength { get; }

    /// <summary>Decodes and preprocesses one encoded image into <paramref name="destination"/>; throws on a bad image.</summary>
    void Preprocess(ReadOnlySpan<byte> encoded, Span<float> destination);

    /// <summary>Runs the model on <paramref name="count"/> images laid out back to back in <paramref name="batch"/>.</summary>
    Task<IReadOnlyList<ImageEmbedding>> EncodeTensorAsync(float[] batch, int count, CancellationToken cancellationToken);
}
