using G3.Alignment.Imaging;
using G3.Alignment.Imaging.Preprocessing;
using G3.Alignment.Onnx;
using G3.Core.Ports;

namespace G3.Alignment.Encoders;

/// <summary>
/// Geo-alignment's image side end to end: encoded bytes → decode (limits enforced) → CLIP preprocessing
/// as the manifest says → one ONNX run per batch → retrieval and GPS-aligned embeddings.
/// </summary>
public sealed class ImageEncoder : IImageEncoder, IImageBatchEncoder, IDisposable
{
    private readonly OnnxImageModel _model;
    private readonly ClipPreprocessor _preprocessor;

    public ImageEncoder(OnnxImageModel model, ImageLimits? limits = null)
    {
        _model = model;
        var spec = model.Preprocessing;
        _preprocessor = new ClipPreprocessor(
            new ClipPreprocessOptions { InputSize = spec.InputSize, Mean = spec.Mean, Std = spec.Std },
            new ImageDecoder(limits));
        if (_preprocessor.TensorLength != model.ImageSize)
            throw new InvalidOperationException(
                $"model {model.Manifest.Id}: preprocessing makes {_preprocessor.TensorLength} floats per image but the image model takes {model.ImageSize}; " +
                "the manifest's preprocessing.inputSize must match image.inputShape");
    }

    public static ImageEncoder Open(string manifestPath, OnnxSessionOptions? options = null, ImageLimits? limits = null) =>
        new(OnnxImageModel.Open(manifestPath, options), limits);

    public OnnxImageModel Model => _model;

    public int TensorLength => _preprocessor.TensorLength;

    public void Preprocess(ReadOnlySpan<byte> encoded, Span<float> destination) => _preprocessor.Preprocess(encoded, destination);

    public Task<IReadOnlyList<ImageEmbedding>> EncodeTensorAsync(float[] batch, int count, CancellationToken cancellationToken) =>
        _model.EncodeAsync(batch.AsMemory(0, count * TensorLength), count, cancellationToken);

    public async Task<IReadOnlyList<ImageEmbedding>> EncodeBatchAsync(IReadOnlyList<QueryImage> images, CancellationToken cancellationToken)
    {
        if (images.Count == 0) return [];
        var batch = new float[images.Count * TensorLength];
        // Decoding dominates for large photos; spread it over the cores, then run the model once.
        try
        {
            Parallel.For(0, images.Count, new ParallelOptions { CancellationToken = cancellationToken },
                i => _preprocessor.Preprocess(images[i].Bytes.Span, batch.AsSpan(i * TensorLength, TensorLength)));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            // Callers catch the typed decode error (→ HTTP 400/413/415), not the parallel loop's wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
        return await EncodeTensorAsync(batch, images.Count, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _model.Dispose();
}
