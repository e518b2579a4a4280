using G3.Alignment.Models;
using G3.Core.Geo;
using G3.Core.Ports;

namespace G3.Alignment.Onnx;

/// <summary>
/// The location encoder over ONNX Runtime: projects each point with the manifest's projection
/// (<see cref="ProjectionMath.ToModelInput"/>, the one place projection happens), runs the whole batch
/// as one [B,2] tensor, and L2-normalises the [B,D] rows when the manifest says so. Thread-safe.
/// </summary>
public sealed class OnnxLocationEncoder : ILocationEncoder, IDisposable
{
    /// <summary>Opens the manifest's location model and checks it against the manifest.</summary>
    public OnnxLocationEncoder(ModelManifest manifest, OnnxSessionOptions? options = null)
    {
        Manifest = manifest;
        Spec = manifest.RequireLocation();
        Session = OnnxSession.Open(Spec.ModelPath, Tf32Policy.Apply(options, Spec.AllowTf32, "location model", manifest.SourcePath));
        try
        {
            ManifestModelCheck.CheckLocation(manifest, Session);
        }
        catch
        {
            Session.Dispose();
            throw;
        }
    }

    /// <summary>Loads the manifest at <paramref name="manifestPath"/> and opens its location model.</summary>
    public static OnnxLocationEncoder Open(string manifestPath, OnnxSessionOptions? options = null) =>
        new(ModelManifestLoader.Load(manifestPath), options);

    public ModelManifest Manifest { get; }

    public LocationModelSpec Spec { get; }

    public OnnxSession Session { get; }

    public int Dimension => Spec.Dimension;

    public LocationProjection Projection => Spec.Projection;

    public Task<EmbeddingMatrix> EncodeAsync(IReadOnlyList<GeoPoint> points, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (points.Count == 0) return Task.FromResult(new EmbeddingMatrix([], 0, Dimension));

        var input = new float[points.Count * 2];
        for (var i = 0; i < points.Count; i++)
        {
            var (first, second) = ProjectionMath.ToModelInput(points[i], Spec.Projection);
            input[2 * i] = (float)first;
            input[2 * i + 1] = (float)second;
        }
        var inputs = new Dictionary<string, FloatTensor>(1, StringComparer.Ordinal)
        {
            [Spec.InputName] = new FloatTensor(input, points.Count, 2),
        };
        // ORT writes the embeddings straight into the array the result will own; normalise in place.
        var data = new float[points.Count * Dimension];
        Session.RunInto(inputs, [new OutputBuffer(Spec.OutputName, data, [points.Count, Dimension])], cancellationToken);
        if (Spec.Normalize) RowNormalization.L2NormalizeRows(data, Dimension);
        return Task.FromResult(new EmbeddingMatrix(data, points.Count, Dimension));
    }

    public void Dispose() => Session.Dispose();
}
