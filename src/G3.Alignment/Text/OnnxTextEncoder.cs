using G3.Alignment.Models;
using G3.Alignment.Onnx;
using G3.Core.Ports;

namespace G3.Alignment.Text;

/// <summary>
/// The manifest's text tower over ONNX Runtime: CLIP's BPE tokenization (<see cref="ClipBpeTokenizer"/>),
/// one run of [N,T] int64 ids, both outputs written into arrays and L2-normalised when the manifest
/// says so. Opening checks the ONNX file against the manifest (<see cref="ManifestModelCheck.CheckText"/>).
/// Thread-safe.
/// </summary>
public sealed class OnnxTextEncoder : ITextEncoder, IDisposable
{
    public OnnxTextEncoder(ModelManifest manifest, OnnxSessionOptions? options = null)
    {
        Spec = manifest.RequireText();
        try
        {
            Tokenizer = new ClipBpeTokenizer(Spec.Tokenizer.VocabPath, Spec.Tokenizer.MergesPath, Spec.ContextLength);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IOException or System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new ModelManifestException(manifest.SourcePath, [$"the text tokenizer files cannot be read: {e.Message}"], e);
        }
        Session = OnnxSession.Open(Spec.ModelPath, options);
        try
        {
            ManifestModelCheck.CheckText(manifest, Session);
        }
        catch
        {
            Session.Dispose();
            throw;
        }
    }

    public TextModelSpec Spec { get; }

    public ClipBpeTokenizer Tokenizer { get; }

    public OnnxSession Session { get; }

    public int RetrievalDimension => Spec.Retrieval.Dimension;

    public int GpsDimension => Spec.Gps.Dimension;

    public Task<TextEmbedding> EncodeAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new long[Spec.ContextLength];
        var cut = Tokenizer.Fill(text, ids);
        var used = Array.FindLastIndex(ids, id => id != 0) + 1;
        var retrieval = new float[Spec.Retrieval.Dimension];
        var gps = new float[Spec.Gps.Dimension];
        Session.RunTokensInto(Spec.InputName, ids, [1, Spec.ContextLength],
        [
            new OutputBuffer(Spec.Retrieval.OutputName, retrieval, [1, retrieval.Length]),
            new OutputBuffer(Spec.Gps.OutputName, gps, [1, gps.Length]),
        ], cancellationToken);
        if (Spec.Retrieval.Normalize) RowNormalization.L2NormalizeRows(retrieval, retrieval.Length);
        if (Spec.Gps.Normalize) RowNormalization.L2NormalizeRows(gps, gps.Length);
        return Task.FromResult(new TextEmbedding(retrieval, gps, used, cut));
    }

    public void Dispose() => Session.Dispose();
}
