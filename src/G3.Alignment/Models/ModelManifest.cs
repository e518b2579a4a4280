using System.Text.Json.Serialization;

namespace G3.Alignment.Models;

/// <summary>
/// A model manifest: the JSON file beside a model's ONNX files that says which file and tensor is which,
/// how to preprocess, and how locations are projected (docs/architecture.md, Ports). These records are
/// the JSON document itself (camelCase; the attributes name the keys that differ), so the manifest is
/// modelled once. Load with <see cref="ModelManifestLoader.Load"/>, which validates the document
/// (<see cref="ModelManifestValidator"/>) and resolves its paths against the manifest's folder: a
/// loaded manifest's paths are absolute and its required values are present. Until then, a required section
/// the JSON left out is null (declared non-null: it is, once loaded), and a required number is 0 or NaN.
/// </summary>
public sealed record ModelManifest
{
    [JsonInclude] internal int? FormatVersion { get; init; }
    public string Id { get; init; } = "";
    public ImageModelSpec? Image { get; init; }
    public LocationModelSpec? Location { get; init; }

    /// <summary>The manifest file (absolute); set by the loader.</summary>
    [JsonIgnore] public string SourcePath { get; init; } = "";

    /// <summary>How the verifier compares embeddings, with its calibrations; absent in JSON: cosine, no scale.</summary>
    public VerificationSpec Verification { get; init; } = new();

    /// <summary>Required with an image model.</summary>
    public PreprocessingSpec? Preprocessing { get; init; }

    /// <summary>Optional: the model card (JSON "modelCard", relative to the manifest).</summary>
    [JsonPropertyName("modelCard")] public string? ModelCardPath { get; init; }

    /// <summary>Optional: the out-of-distribution check's threshold (measured on held-out photos).</summary>
    public OutOfDistributionSpec? OutOfDistribution { get; init; }

    /// <summary>Optional: the same-place similarity below which two photos of one query disagree (measured on landmark photos).</summary>
    public ViewAgreementSpec? ViewAgreement { get; init; }

    /// <summary>Optional: the text tower, for text queries (<see cref="TextModelSpec"/>).</summary>
    public TextModelSpec? Text { get; init; }

    // The three calibrations live in the JSON's "verification" section; these name them from the top, and
    // setting one (`manifest with { Consensus = null }`) replaces it in Verification.

    /// <summary>Optional: the verifier's confidence calibration (fitted on held-out photos).</summary>
    [JsonIgnore] public ConfidenceCalibrationSpec? Calibration { get => Verification.Calibration; init => Verification = Verification with { Calibration = value }; }

    /// <summary>Optional: the consensus decision's settings (fitted on held-out photos); absent: G3's plain argmax.</summary>
    [JsonIgnore] public ConsensusSpec? Consensus { get => Verification.Consensus; init => Verification = Verification with { Consensus = value }; }

    /// <summary>Optional: isotonic maps from the country / region / city answers' masses to the probability they are right.</summary>
    [JsonIgnore] public LevelCalibrationSpec? LevelCalibration { get => Verification.LevelCalibration; init => Verification = Verification with { LevelCalibration = value }; }

    /// <summary>The folder holding the manifest (and, normally, its ONNX files).</summary>
    [JsonIgnore] public string Directory => Path.GetDirectoryName(SourcePath)!;

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
