using G3.Alignment.Models;
using G3.Core.Ports;

namespace G3.Alignment.Onnx;

/// <summary>
/// The image model over ONNX Runtime: one run over a preprocessed float32 NCHW batch yields, per image,
/// the retrieval embedding and the GPS-aligned embedding named by the manifest (L2-normalised when it
/// says so). Decoding and preprocessing happen before (G3.Alignment.Imaging); <see cref="Preprocessing"/>
/// says how. Thread-safe.
/// </summary>
public sealed class OnnxImageModel : IDisposable
{
    private readonly string[] _outputNames;

    /// <summary>Opens the manifest's image model and checks it against the manifest.</summary>
    public OnnxImageModel(ModelManifest manifest, OnnxSessionOptions? options = null)
    {
        Manifest = manifest;
        Spec = manifest.RequireImage();
        Preprocessing = manifest.Preprocessing!; // the loader requires it whenever an image model is declared
        Session = OnnxSession.Open(Spec.ModelPath, options);
        try
        {
            ManifestModelCheck.CheckImage(manifest, Session);
        }
        catch
        {
            Session.Dispose();
            throw;
        }
        _outputNames = [Spec.Retrieval.OutputName, Spec.Gps.OutputName];
    }

    /// <summary>Loads the manifest at <paramref name="manifestPath"/> and opens its image model.</summary>
    public static OnnxImageModel Open(string manifestPath, OnnxSessionOptions? options = null) =>
        new(ModelManifestLoader.Load(manifestPath), options);

    public ModelManifest Manifest { get; }

    public ImageModelSpec Spec { get; }

    public PreprocessingSpec Preprocessing { get; }

    public OnnxSession Session { get; }

    /// <summary>Floats per image in the input batch: 3 × H × W.</summary>
    public int ImageSize => Spec.Channels * Spec.Height * Spec.Width;

    /// <summary>
    /// Encodes <paramref name="batch"/> preprocessed images laid out as [batch, 3, H, W] in
    /// <paramref name="nchw"/>; returns one <see cref="ImageEmbedding"/> per image, in order.
    /// </summary>
    public Task<IReadOnlyList<ImageEmbedding>> EncodeAsync(ReadOnlyMemory<float> nchw, int batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        if (nchw.Length != (long)batch * ImageSize)
            throw new ArgumentException(
                $"{batch} images of [3,{Spec.Height},{Spec.Width}] need {(long)batch * ImageSize} floats; {nchw.Length} were given", nameof(nchw));
        if (batch == 0) return Task.FromResult<IReadOnlyList<ImageEmbedding>>([]);

        var inputs = new Dictionary<string, FloatTensor>(1, StringComparer.Ordinal)
        {
            [Spec.InputName] = new FloatTensor(nchw, batch, Spec.Channels, Spec.Height, Spec.Width),
        };
        var outputs = Session.Run(inputs, _outputNames, cancellationToken);
        var retrieval = Rows(outputs[0], Spec.Retrieval, batch);
        var gps = Rows(outputs[1], Spec.Gps, batch);
        var embeddings = new ImageEmbedding[batch];
        for (var i = 0; i < batch; i++)
            embeddings[i] = new ImageEmbedding(retrieval[i], gps[i]);
        return Task.FromResult<IReadOnlyList<ImageEmbedding>>(embeddings);
    }

    public void Dispose() => Session.Dispose();

    private static float[][] Rows(FloatTensor output, EmbeddingOutputSpec spec, int batch)
    {
        if (output.Shape.Count != 2 || output.Shape[0] != batch || output.Shape[1] != spec.Dimension)
            throw new OnnxRuntimeException(
                $"image model output '{spec.OutputName}' has shape {output.ShapeText}; [{batch},{spec.Dimension}] expected");
        var rows = new float[batch][];
        for (var i = 0; i < batch; i++)
        {
            rows[i] = output.Data.Slice(i * spec.Dimension, spec.Dimension).ToArray();
            if (spec.Normalize) RowNormalization.L2NormalizeRows(rows[i], spec.Dimension);
        }
        return rows;
    }
}
