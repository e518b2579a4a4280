using G3.Core.Geo;

namespace G3.Alignment.Models;

/// <summary>
/// A validated model manifest: the JSON file beside a model's ONNX files that says which file and
/// tensor is which, how to preprocess, and how locations are projected (docs/architecture.md,
/// Ports). Paths are absolute, resolved against the manifest's folder. Load with
/// <see cref="ModelManifestLoader.Load"/>.
/// </summary>
public sealed record ModelManifest(
    string Id,
    string SourcePath,
    VerificationSpec Verification,
    ImageModelSpec? Image,
    PreprocessingSpec? Preprocessing,
    LocationModelSpec? Location,
    string? ModelCardPath)
{
    /// <summary>Optional: the verifier's confidence calibration (fitted on held-out photos).</summary>
    public ConfidenceCalibrationSpec? Calibration { get; init; }

    /// <summary>Optional: the consensus decision's settings (fitted on held-out photos); absent: G3's plain argmax.</summary>
    public ConsensusSpec? Consensus { get; init; }

    /// <summary>Optional: isotonic maps from the country / region / city answers' masses to the probability they are right.</summary>
    public LevelCalibrationSpec? LevelCalibration { get; init; }

    /// <summary>Optional: the out-of-distribution check's threshold (measured on held-out photos).</summary>
    public OutOfDistributionSpec? OutOfDistribution { get; init; }

    /// <summary>Optional: the same-place similarity below which two photos of one query disagree (measured on landmark photos).</summary>
    public ViewAgreementSpec? ViewAgreement { get; init; }

    /// <summary>Optional: the text tower, for text queries (<see cref="TextModelSpec"/>).</summary>
    public TextModelSpec? Text { get; init; }

    /// <summary>The folder holding the manifest (and, normally, its ONNX files).</summary>
    public string Directory => Path.GetDirectoryName(SourcePath)!;

    /// <summary>The image part, or a clear error when this manifest has none.</summary>
    public ImageModelSpec RequireImage() => Image
        ?? throw new ModelManifestException(SourcePath, ["it declares no image model (\"image\" section), which this use needs"]);

    /// <summary>The text part, or a clear error when this manifest has none.</summary>
    public TextModelSpec RequireText() => Text
        ?? throw new ModelManifestException(SourcePath, ["it declares no text model (\"text\" section), which text queries need"]);

    /// <summary>The location part, or a clear error when this manifest has none.</summary>
    public LocationModelSpec RequireLocation() => Location
        ?? throw new ModelManifestException(SourcePath, ["it declares no location model (\"location\" section), which this use needs"]);
}

/// <summary>
/// The image model: one ONNX run over a preprocessed [N,3,H,W] float32 batch yields two embeddings,
/// <see cref="Retrieval"/> (e_img, searched in the reference store) and <see cref="Gps"/>
/// (e_gps^image, compared with location embeddings by the verifier).
/// </summary>
public sealed record ImageModelSpec(
    string ModelPath,
    string InputName,
    IReadOnlyList<long> InputShape,
    EmbeddingOutputSpec Retrieval,
    EmbeddingOutputSpec Gps)
{
    /// <summary>
    /// The arithmetic the ONNX file's weights use (JSON "precision": "float32" or "float16"). Inputs and
    /// outputs stay float32 either way; the load check compares this with the file's own "g3.precision" metadata.
    /// </summary>
    public ModelPrecision Precision { get; init; } = ModelPrecision.Float32;

    /// <summary>Whether the model may run with TF32 matrix maths on the GPU (JSON "allowTf32"; default false).</summary>
    public bool AllowTf32 { get; init; }

    public int Channels => (int)InputShape[1];
    public int Height => (int)InputShape[2];
    public int Width => (int)InputShape[3];
}

/// <summary>A model output that is an embedding: its tensor name, width, and whether rows are L2-normalised after the run.</summary>
public sealed record EmbeddingOutputSpec(string OutputName, int Dimension, bool Normalize);

/// <summary>How decoded pixels become the model's input (CLIP's recipe by default).</summary>
public sealed record PreprocessingSpec(int InputSize, ResizeMode Resize, CropMode Crop, float[] Mean, float[] Std)
{
    /// <summary>CLIP's per-channel RGB mean, the default.</summary>
    public static readonly float[] ClipMean = [0.48145466f, 0.4578275f, 0.40821073f];

    /// <summary>CLIP's per-channel RGB standard deviation, the default.</summary>
    public static readonly float[] ClipStd = [0.26862954f, 0.26130258f, 0.27577711f];
}

/// <summary>Resize modes. JSON: "shortest-side-bicubic" (scale so the shorter side equals the input size, bicubic).</summary>
public enum ResizeMode
{
    ShortestSideBicubic,
}

/// <summary>Crop modes. JSON: "center".</summary>
public enum CropMode
{
    Center,
}

/// <summary>
/// The location model: [B,2] projected coordinates → [B,D]. The projection is applied by the encoder
/// through <see cref="ProjectionMath.ToModelInput"/>, never inside the ONNX graph.
/// </summary>
public sealed record LocationModelSpec(
    string ModelPath,
    string InputName,
    string OutputName,
    int Dimension,
    LocationProjection Projection,
    bool Normalize)
{
    /// <summary>
    /// Whether the model may run with TF32 matrix maths on the GPU (JSON "allowTf32"; default false: random
    /// Fourier features at high frequencies amplify TF32's input rounding into different embeddings).
    /// </summary>
    public bool AllowTf32 { get; init; }
}

/// <summary>Weight precision of an exported model. JSON: "float32" (default) or "float16".</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The names are ONNX's precision names.")]
public enum ModelPrecision
{
    Float32,
    Float16,
}

/// <summary>How the verifier compares e_gps^image with candidate location embeddings. JSON: "cosine" or "dot".</summary>
public enum VerificationMetric
{
    Cosine,
    Dot,
}

/// <summary>
/// The verification metric and, when the model was trained with one, its logit scale (CLIP's learned
/// temperature inverse; a manifest may give "temperature" instead, stored here as 1/temperature).
/// </summary>
public sealed record VerificationSpec(VerificationMetric Metric, double? LogitScale);

/// <summary>
/// Isotonic calibration of the verifier's confidence. JSON (inside "verification"):
/// <c>"calibration": { "method": "isotonic", "radiusKm": 200, "raw": [...], "calibrated": [...], "fittedOn": "..." }</c>:
/// the raw confidence is the softmax mass within <paramref name="RadiusKm"/> of the pick, mapped by
/// linear interpolation through the (raw, calibrated) points (both non-decreasing) to the
/// probability that the pick is within <paramref name="RadiusKm"/> of the truth.
/// </summary>
/// <summary>The verifier's consensus decision (G3.Verification's ConsensusOptions documents each field).</summary>
public sealed record ConsensusSpec(double GpsScale, double RetrievalScale, double SupportKm, double Floor, double RadiusKm, string? FittedOn);

/// <summary>An isotonic map's knots: raw values and their calibrated probabilities, both non-decreasing in 0..1.</summary>
public sealed record IsotonicPoints(IReadOnlyList<double> Raw, IReadOnlyList<double> Calibrated);

/// <summary>Per-level calibration of the answers per level (fitted on held-out photos).</summary>
public sealed record LevelCalibrationSpec(IsotonicPoints Country, IsotonicPoints Region, IsotonicPoints City, string? FittedOn);

public sealed record ConfidenceCalibrationSpec(double RadiusKm, IReadOnlyList<double> Raw, IReadOnlyList<double> Calibrated, string? FittedOn);

/// <summary>How the out-of-distribution score is computed (manifest <c>outOfDistribution.score</c>).</summary>
public enum OutOfDistributionScore
{
    /// <summary>"mean-top-k-similarity": the mean retrieval similarity of the top K references.</summary>
    MeanTopKSimilarity,

    /// <summary>
    /// "logistic": σ(w · [e_img, e_gps^image, mean top-K similarity] + b), a linear classifier of
    /// in-world photos against generated non-place images, fitted offline (tools/train/Calibrate.cs).
    /// </summary>
    Logistic,
}

/// <summary>
/// The out-of-distribution check. JSON: <c>"outOfDistribution": { "score": "mean-top-k-similarity", "topK": 5,
/// "threshold": 0.61, "measuredOn": "..." }</c>, or with <c>"score": "logistic"</c> also <c>"weights"</c>
/// (retrieval dim + GPS dim + 1 numbers) and <c>"bias"</c>. A photo scoring below
/// <paramref name="Threshold"/> (measured on held-out in-world photos) is flagged.
/// </summary>
public sealed record OutOfDistributionSpec(int TopK, double Threshold, string? MeasuredOn)
{
    public OutOfDistributionScore Score { get; init; } = OutOfDistributionScore.MeanTopKSimilarity;

    /// <summary>Logistic only: one weight per feature (e_img, then e_gps^image, then the mean top-K similarity).</summary>
    public IReadOnlyList<double> Weights { get; init; } = [];

    public double Bias { get; init; }
}

/// <summary>
/// When the photos of a several-photo query disagree. JSON: <c>"viewAgreement": { "score": "retrieval-cosine",
/// "threshold": 0.8, "pairs": 1500, "measuredOn": "..." }</c>: two photos whose retrieval embeddings' cosine similarity is
/// below <paramref name="Threshold"/> (a low quantile of the similarities of photo pairs taken at the same place) are
/// reported as disagreeing.
/// </summary>
public sealed record ViewAgreementSpec(double Threshold, string? MeasuredOn);

/// <summary>
/// The text tower (optional): token ids [N,T] (int64, CLIP's layout) → two embeddings, as GeoCLIP's text
/// query uses CLIP's shared space: <see cref="Retrieval"/> lives in the image model's retrieval space (it
/// searches the reference collection) and <see cref="Gps"/> in the GPS-aligned space (compared with the
/// location encoder's embeddings of candidate locations). JSON:
/// <c>"text": { "file": "text.onnx", "input": "input_ids", "contextLength": 77,
/// "tokenizer": { "kind": "clip-bpe", "vocab": "vocab.json", "merges": "merges.txt" },
/// "retrieval": {...}, "gps": {...}, "logitScale": 30 }</c>.
/// </summary>
public sealed record TextModelSpec(
    string ModelPath,
    string InputName,
    int ContextLength,
    string VocabPath,
    string MergesPath,
    EmbeddingOutputSpec Retrieval,
    EmbeddingOutputSpec Gps)
{
    /// <summary>
    /// The scale of text→location similarities before the softmax over candidate locations (the text
    /// tower's own learned value; absent: the verifier's logit scale, else CLIP's 100).
    /// </summary>
    public double? LogitScale { get; init; }
}
