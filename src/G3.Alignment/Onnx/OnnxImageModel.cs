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
    /// <summary>Opens the manifest's image model and checks it against the manifest.</summary>
    public OnnxImageModel(ModelManifest manifest, OnnxSessionOptions? options = null)
    {
        Manifest = manifest;
        Spec = manifest.RequireImage();
        Preprocessing = manifest.Preprocessing!; // the loader requires it whenever an image model is declared
        Session = OnnxSession.Open(Spec.ModelPath, Tf32Policy.Apply(options, Spec.AllowTf32, "image model", manifest.SourcePath));
        try
        {
            ManifestModelCheck.CheckImage(manifest, Session);
        }
        catch
        {
            Session.Dispose();
            throw;
        }
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
        // ORT writes both heads straight into these arrays (shapes checked against the model at load).
        var retrieval = new float[batch * Spec.Retrieval.Dimension];
        var gps = new float[batch * Spec.Gps.Dimension];
        Session.RunInto(inputs,
        [
            new OutputBuffer(Spec.Retrieval.OutputName, retrieval, [batch, Spec.Retrieval.Dimension]),
            new OutputBuffer(Spec.Gps.OutputName, gps, [batch, Spec.Gps.Dimension]),
        ], cancellationToken);
        var retrievalRows = Rows(retrieval, Spec.Retrieval, batch);
        var gpsRows = Rows(gps, Spec.Gps, batch);
        var embeddings = new ImageEmbedding[batch];
        for (var i = 0; i < batch; i++)
            embeddings[i] = new ImageEmbedding(retrievalRows[i], gpsRows[i]);
        return Task.FromResult<IReadOnlyList<ImageEmbedding>>(embeddings);
    }

    public void Dispose() => Session.Dispose();

    private static float[][] Rows(float[] output, EmbeddingOutputSpec spec, int batch)
    {
        var rows = new float[batch][];
        for (var i = 0; i < batch; i++)
        {
            rows[i] = output.AsSpan(i * spec.Dimension, spec.Dimension).ToArray();
            if (spec.Normalize) RowNormalization.L2NormalizeRows(rows[i], spec.Dimension);
        }
        return rows;
    }
}
